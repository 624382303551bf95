import { sessionCookieRule } from "./shared/session-cookie.js";

export default sessionCookieRule({
  id: "django/session-cookie-secure-app",
  django: "security.W010",
  setting: "SESSION_COOKIE_SECURE",
  warns: "app",
  summary: "SESSION_COOKIE_SECURE is not True and django.contrib.sessions is installed (without SessionMiddleware)",
  risk: "Without the Secure flag the browser also sends the session cookie over plain HTTP, where anyone on the network can read it and take over the session.",
  message: "You have 'django.contrib.sessions' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_SECURE to True. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions",
  example: { bad: "SESSION_COOKIE_SECURE = os.environ.get(\"SESSION_COOKIE_SECURE\", \"True\")\n", good: "SESSION_COOKIE_SECURE = True\n" },
});
