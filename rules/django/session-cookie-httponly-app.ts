import { sessionCookieRule } from "./shared/session-cookie.js";

export default sessionCookieRule({
  id: "django/session-cookie-httponly-app",
  django: "security.W013",
  setting: "SESSION_COOKIE_HTTPONLY",
  warns: "app",
  summary: "SESSION_COOKIE_HTTPONLY is not True and django.contrib.sessions is installed (without SessionMiddleware)",
  risk: "Without the HttpOnly flag any script on the page — an XSS payload included — can read the session cookie and send it away.",
  message: "You have 'django.contrib.sessions' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_HTTPONLY to True. Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions",
  example: { bad: "SESSION_COOKIE_HTTPONLY = False\n", good: "SESSION_COOKIE_HTTPONLY = True  # the default: or remove the line\n" },
});
