import { defineRule } from "../../src/engine/rule.js";
import { productionStacks } from "../../src/model/queries.js";
import { describeMismatch, servedDirectoryMismatches } from "../../src/model/static-serving.js";

export default defineRule({
  id: "deploy/media-alias",
  django: null,
  severity: "error",
  summary: "nginx serves MEDIA_URL from a directory that is not MEDIA_ROOT as the nginx container sees it",
  why:
    "Django saves uploaded files under MEDIA_ROOT inside the app container. If nginx's `location` for MEDIA_URL " +
    "maps requests to another path, or to the same path on storage the app container does not share, every upload " +
    "succeeds and then answers 404 — and uploads written to a container's own filesystem are lost on redeploy.",
  fix:
    "Point the MEDIA_URL location's `alias` at MEDIA_ROOT followed by `/`, and keep MEDIA_ROOT on a named volume " +
    "(or host directory) mounted in both the app service and the nginx service.",
  examples: [
    {
      file: "config/nginx/default.conf",
      bad: "# MEDIA_ROOT = BASE_DIR / 'media'  →  /code/app/media\nlocation /media/ {\n    alias /code/media/;\n}\n",
      good: "location /media/ {\n    alias /code/app/media/;\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const mismatch of servedDirectoryMismatches(stack, { urlSetting: "MEDIA_URL", rootSetting: "MEDIA_ROOT", probe: "uploads/photo.jpg" })) {
        const { message, related } = describeMismatch(mismatch, "MEDIA_ROOT");
        report({ message, range: mismatch.range, related, stack: stack.id });
      }
    }
  },
});
