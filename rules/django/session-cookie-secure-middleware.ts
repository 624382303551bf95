import { sessionCookieRule } from "./shared/session-cookie.js";

export default sessionCookieRule({
  id: "django/session-cookie-secure-middleware",
  django: "security.W011",
  setting: "SESSION_COOKIE_SECURE",
  warns: "middleware",
  summary: "SESSION_COOKIE_SECURE is not True and SessionMiddleware is in MIDDLEWARE (without the sessions app)",
  risk: "Without the Secure flag the browser also sends the session cookie over plain HTTP, where anyone on the network can read it and take over the session.",
  message: "You have 'django.contrib.sessions.middleware.SessionMiddleware' in your MIDDLEWARE, but you have not set SESSION_COOKIE_SECURE to True. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions",
  example: { bad: "SESSION_COOKIE_SECURE = os.environ.get(\"SESSION_COOKIE_SECURE\", \"True\")\n", good: "SESSION_COOKIE_SECURE = True\n" },
});
