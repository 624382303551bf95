import { sessionCookieRule } from "./shared/session-cookie.js";

export default sessionCookieRule({
  id: "django/session-cookie-httponly",
  django: "security.W015",
  setting: "SESSION_COOKIE_HTTPONLY",
  warns: "both",
  summary: "SESSION_COOKIE_HTTPONLY is not True (sessions app and SessionMiddleware both present)",
  risk: "Without the HttpOnly flag any script on the page — an XSS payload included — can read the session cookie and send it away.",
  message: "SESSION_COOKIE_HTTPONLY is not set to True. Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions",
  example: { bad: "SESSION_COOKIE_HTTPONLY = False\n", good: "SESSION_COOKIE_HTTPONLY = True  # the default: or remove the line\n" },
});
