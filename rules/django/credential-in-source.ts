import { maskSecret } from "../../src/core/secrets.js";
import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { djangoApps } from "../../src/model/django-settings.js";
import { credentialLiterals } from "../../src/model/settings-credentials.js";

export default defineRule({
  id: "django/credential-in-source",
  django: null,
  severity: "warning",
  summary: "A database password, EMAIL_HOST_PASSWORD, JWT signing key or cloud storage key is a literal in a settings module git tracks",
  why:
    "A password or key written in a committed settings module is known to everyone who can read the repository, its " +
    "forks and its history — commented-out code included: `# 'PASSWORD': 'hunter2'` is as public as live code, and " +
    "usually still valid. With a database password, EMAIL_HOST_PASSWORD, a JWT signing key (`SIMPLE_JWT['SIGNING_KEY']`, " +
    "`JWT_SECRET_KEY`) or a cloud key (`AWS_SECRET_ACCESS_KEY`, `GS_SECRET_ACCESS_KEY`, `AZURE_ACCOUNT_KEY`) they read " +
    "the database, send mail as you, forge API tokens or empty the bucket. The same holds for the default of an env " +
    "read that nothing gives the production service. SECRET_KEY is `django/secret-key-in-source`'s; stand-ins " +
    "(`changeme`, `${DB_PASSWORD}`, empty) and values read from the environment are not reported, and the value is " +
    "never printed.",
  fix:
    "Read the credential from the environment (`os.environ[\"DB_PASSWORD\"]`, `env(\"EMAIL_HOST_PASSWORD\")`), give " +
    "it to the service from a git-ignored env file or a secret store, delete commented-out copies, and rotate it — the " +
    "committed value stays in the history.",
  examples: [
    {
      file: "app/bookshelf/settings.py",
      bad: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "k7Hq…"}}\n# EMAIL_HOST_PASSWORD = "s3cr3t-Mail-9"\n',
      good: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": os.environ["POSTGRES_PASSWORD"]}}\nEMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      const choice = app.settingsModule;
      const related: RelatedLocation[] =
        choice?.range !== undefined ? [{ range: choice.range, message: `${choice.module} is the settings module of service '${service.name}' here` }] : [];
      for (const found of credentialLiterals(model, app)) {
        const masked = maskSecret(found.value);
        const where = `${found.range.file}, a settings module git tracks`;
        const message = found.commented
          ? `${found.setting} is written in commented-out code of ${where} (${masked}): the credential is public to anyone with the repository; ` +
            "delete the comment and rotate the credential"
          : found.defaultOf !== undefined
            ? `${found.setting} is the default of the read of ${found.defaultOf}, which nothing gives service '${service.name}', so production uses a ` +
              `credential written in ${where} (${masked}); set ${found.defaultOf} for the service, drop the default and rotate the credential`
            : `${found.setting} is a credential written in ${where} (${masked}): anyone with the repository can use it; ` +
              "read it from the environment and rotate it";
        report({ message, range: found.range, related, stack: service.stack });
      }
    }
  },
});
