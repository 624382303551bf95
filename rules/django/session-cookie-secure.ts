import { sessionCookieRule } from "./shared/session-cookie.js";

export default sessionCookieRule({
  id: "django/session-cookie-secure",
  django: "security.W012",
  setting: "SESSION_COOKIE_SECURE",
  warns: "both",
  summary: "SESSION_COOKIE_SECURE is not True (sessions app and SessionMiddleware both present)",
  risk: "Without the Secure flag the browser also sends the session cookie over plain HTTP, where anyone on the network can read it and take over the session.",
  message: "SESSION_COOKIE_SECURE is not set to True. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions",
  example: { bad: "SESSION_COOKIE_SECURE = os.environ.get(\"SESSION_COOKIE_SECURE\", \"True\")\n", good: "SESSION_COOKIE_SECURE = True\n" },
});
