import { defineRule } from "../../src/engine/rule.js";
import { sslKeyUses } from "../../src/model/key-material.js";

export default defineRule({
  id: "git/secret-file-tracked",
  django: null,
  severity: "error",
  summary: "A private key or credentials file is tracked by git",
  why:
    "A private key (`-----BEGIN … PRIVATE KEY-----` in a `.pem`, `.key` or any file), a PKCS#12 bundle (`.p12`, " +
    "`.pfx`) or a Google Cloud service account JSON committed to the repository is in every clone and fork and in the " +
    "history forever: whoever has it can impersonate the site (a TLS key lets them serve as your domain or decrypt " +
    "captured traffic) or act as the service account. When nginx's `ssl_certificate_key` loads the file, the " +
    "production TLS key itself is public. Public certificates (`BEGIN CERTIFICATE` only) and keys under test, " +
    "fixtures, example or sample folders are not reported.",
  fix:
    "Run `git rm --cached <file>`, add it to .gitignore, keep the key on the server (or in a secret store) and mount " +
    "it into the container at run time; then revoke it and issue a new one — removing it from the tree does not " +
    "remove it from the history.",
  examples: [
    {
      file: ".gitignore",
      bad: "# deploy/certs/privkey.pem is committed\n.env\n",
      good: ".env\ndeploy/certs/*.pem\n",
    },
  ],
  check(model, report) {
    const index = model.git.index;
    if (!index) return;
    const keyFiles = model.keyMaterial().filter((k) => index.tracked.has(k.file));
    if (keyFiles.length === 0) return;
    const uses = sslKeyUses(model);
    for (const key of keyFiles) {
      const loaded = uses.filter((u) => u.repoFile === key.file);
      const ignored = model.git.ignore.check(key.file).ignored;
      const nginx =
        loaded.length > 0
          ? `; it is the TLS key nginx serves the site with (ssl_certificate_key ${loaded[0]?.containerPath} in service '${loaded[0]?.service}'), so the production TLS key is public`
          : "";
      report({
        message:
          `${key.file} holds ${key.description} and is tracked by git${ignored ? " (it is in .gitignore, but that does not untrack a committed file)" : ""}${nginx}: ` +
          `run 'git rm --cached ${key.file}', keep it git-ignored and mount it at deploy time, then revoke it and issue a new one`,
        range: key.range,
        related: loaded.map((u) => ({ range: u.directive.range, message: `nginx of service '${u.service}' loads it as ssl_certificate_key (${u.containerPath})` })),
        ...(loaded[0] ? { stack: loaded[0].stack } : {}),
      });
    }
  },
});
