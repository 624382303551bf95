import type { RuleDefinition } from "../src/engine/rule.js";
import securityMiddlewareMissing from "./django/security-middleware-missing.js";
import xframeMiddlewareMissing from "./django/xframe-middleware-missing.js";
import csrfMiddlewareMissing from "./django/csrf-middleware-missing.js";
import hstsNotSet from "./django/hsts-not-set.js";
import hstsIncludeSubdomains from "./django/hsts-include-subdomains.js";
import contentTypeNosniff from "./django/content-type-nosniff.js";
import browserXssFilter from "./django/browser-xss-filter.js";
import sslRedirect from "./django/ssl-redirect.js";
import secretKeyWeak from "./django/secret-key-weak.js";
import sessionCookieSecureApp from "./django/session-cookie-secure-app.js";
import sessionCookieSecureMiddleware from "./django/session-cookie-secure-middleware.js";
import sessionCookieSecure from "./django/session-cookie-secure.js";
import sessionCookieHttponlyApp from "./django/session-cookie-httponly-app.js";
import sessionCookieHttponlyMiddleware from "./django/session-cookie-httponly-middleware.js";
import sessionCookieHttponly from "./django/session-cookie-httponly.js";
import csrfCookieSecure from "./django/csrf-cookie-secure.js";
import debugEnabled from "./django/debug-enabled.js";
import xFrameOptionsNotDeny from "./django/x-frame-options-not-deny.js";
import allowedHostsEmpty from "./django/allowed-hosts-empty.js";
import hstsPreload from "./django/hsts-preload.js";
import referrerPolicyMissing from "./django/referrer-policy-missing.js";
import referrerPolicyInvalid from "./django/referrer-policy-invalid.js";
import crossOriginOpenerPolicyInvalid from "./django/cross-origin-opener-policy-invalid.js";
import secretKeyFallbacksWeak from "./django/secret-key-fallbacks-weak.js";
import cacheLocationExposed from "./django/cache-location-exposed.js";
import asyncUnsafeAllowed from "./django/async-unsafe-allowed.js";
import versionAssumed from "./django/version-assumed.js";
import exposedBackingPort from "./compose/exposed-backing-port.js";
import mediaAlias from "./deploy/media-alias.js";
import socketDrift from "./deploy/socket-drift.js";
import staticAlias from "./deploy/static-alias.js";
import envNotIgnored from "./git/env-not-ignored.js";
import envTracked from "./git/env-tracked.js";
import parseProblem from "./parse/problem.js";
import dbHost from "./deploy/db-host.js";
import cacheHost from "./deploy/cache-host.js";
import dbPort from "./deploy/db-port.js";
import dbCredentialsDrift from "./deploy/db-credentials-drift.js";
import envMissing from "./deploy/env-missing.js";
import envNotInjected from "./deploy/env-not-injected.js";
import stringBoolean from "./deploy/string-boolean.js";
// (imports: env rules)
import dockerSecretInEnv from "./docker/secret-in-env.js";
import secretKeyInSource from "./django/secret-key-in-source.js";
import secretFileTracked from "./git/secret-file-tracked.js";
import envInImage from "./docker/env-in-image.js";
// (imports: secret-file rules)
import composeRunserver from "./compose/runserver.js";
import composeInlineSecret from "./compose/inline-secret.js";
import composeOverrideInProduction from "./compose/override-in-production.js";
// (imports: compose-secret rules)
import proxySslHeader from "./deploy/proxy-ssl-header.js";
import hostHeader from "./nginx/host-header.js";
import allowedHostsServerName from "./deploy/allowed-hosts-server-name.js";
// (imports: proxy rules)
import secureCookiesWithoutTls from "./deploy/secure-cookies-without-tls.js";
import missingCertificate from "./nginx/missing-certificate.js";
import csrfTrustedOrigins from "./deploy/csrf-trusted-origins.js";
import healthcheckRejected from "./deploy/healthcheck-rejected.js";
// (imports: tls rules)
// (imports: data-services rules)
import wsgiEntrypoint from "./deploy/wsgi-entrypoint.js";
import settingsModule from "./deploy/settings-module.js";
import deadPort from "./compose/dead-port.js";
// (imports: process-wiring rules)
import staticNotCollected from "./deploy/static-not-collected.js";
import aliasTraversal from "./nginx/alias-traversal.js";
import uploadSize from "./deploy/upload-size.js";
// (imports: static-and-nginx rules)
import unusedSuppression from "./lint/unused-suppression.js";
// (imports: suppression rules)
import exposedAppPort from "./compose/exposed-app-port.js";
// (imports: compose-ports rules)
import dbPasswordMissing from "./compose/db-password-missing.js";
import weakTls from "./nginx/weak-tls.js";
// (imports: db-and-tls rules)
import credentialInSource from "./django/credential-in-source.js";
import unknownSetting from "./django/unknown-setting.js";
// (imports: settings-source rules)
import allowedHostsWildcard from "./deploy/allowed-hosts-wildcard.js";
// (imports: allowed-hosts rules)
import entrypointNotExecutable from "./docker/entrypoint-not-executable.js";
// (imports: entrypoint-exec rules)
import migrations from "./deploy/migrations.js";
// (imports: migrations rules)
import envNameDrift from "./deploy/env-name-drift.js";
// (imports: env-drift rules)

/** Every rule, in the order `--list-rules` and the docs index show them. */
export const ALL_RULES: readonly RuleDefinition[] = [
  securityMiddlewareMissing,
  xframeMiddlewareMissing,
  csrfMiddlewareMissing,
  hstsNotSet,
  hstsIncludeSubdomains,
  contentTypeNosniff,
  browserXssFilter,
  sslRedirect,
  secretKeyWeak,
  sessionCookieSecureApp,
  sessionCookieSecureMiddleware,
  sessionCookieSecure,
  sessionCookieHttponlyApp,
  sessionCookieHttponlyMiddleware,
  sessionCookieHttponly,
  csrfCookieSecure,
  debugEnabled,
  xFrameOptionsNotDeny,
  allowedHostsEmpty,
  hstsPreload,
  referrerPolicyMissing,
  referrerPolicyInvalid,
  crossOriginOpenerPolicyInvalid,
  secretKeyFallbacksWeak,
  cacheLocationExposed,
  asyncUnsafeAllowed,
  versionAssumed,
  staticAlias,
  mediaAlias,
  socketDrift,
  dbHost,
  cacheHost,
  dbPort,
  dbCredentialsDrift,
  envMissing,
  envNotInjected,
  stringBoolean,
  // (rules: env)
  dockerSecretInEnv,
  secretKeyInSource,
  secretFileTracked,
  envInImage,
  // (rules: secret-file)
  composeRunserver,
  composeInlineSecret,
  composeOverrideInProduction,
  // (rules: compose-secret)
  proxySslHeader,
  hostHeader,
  allowedHostsServerName,
  // (rules: proxy)
  secureCookiesWithoutTls,
  missingCertificate,
  csrfTrustedOrigins,
  healthcheckRejected,
  // (rules: tls)
  // (rules: data-services)
  wsgiEntrypoint,
  settingsModule,
  deadPort,
  // (rules: process-wiring)
  staticNotCollected,
  aliasTraversal,
  uploadSize,
  // (rules: static-and-nginx)
  envTracked,
  envNotIgnored,
  exposedBackingPort,
  parseProblem,
  unusedSuppression,
  // (rules: suppression)
  exposedAppPort,
  // (rules: compose-ports)
  dbPasswordMissing,
  weakTls,
  // (rules: db-and-tls)
  credentialInSource,
  unknownSetting,
  // (rules: settings-source)
  allowedHostsWildcard,
  // (rules: allowed-hosts)
  entrypointNotExecutable,
  // (rules: entrypoint-exec)
  migrations,
  // (rules: migrations)
  envNameDrift,
  // (rules: env-drift)
];
