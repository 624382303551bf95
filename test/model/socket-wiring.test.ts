import { describe, expect, it } from "vitest";
import { passWirings, serviceNetworks } from "../../src/model/socket-wiring.js";
import { model, service } from "./helpers.js";

const NGINX_CONF = "server {\n    listen 80;\n    location / { proxy_pass http://TARGET; }\n}\n";

function stackOf(composeServices: string, target = "web:8000", topLevel = "") {
  const m = model({
    "nginx.conf": NGINX_CONF.replace("TARGET", target),
    "app/proj/__init__.py": "",
    "app/proj/wsgi.py": "",
    "docker-compose.yml": `services:\n  web:\n    image: python:3.12\n    working_dir: /app\n    volumes:\n      - ./app:/app\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\nWEB\n  nginx:\n    image: nginx:1.27\n    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf\nNGINX\n${topLevel}`
      .replace("WEB\n", composeServices.split("|")[0] ?? "")
      .replace("NGINX\n", composeServices.split("|")[1] ?? ""),
  });
  return m;
}

function wiring(m: ReturnType<typeof model>): string[] {
  const stack = m.stacks[0];
  return stack ? passWirings(stack).map((p) => p.wiring.kind) : [];
}

describe("compose networks between nginx and the app server", () => {
  it("both on the implicit default network: connected", () => {
    expect(wiring(stackOf("|"))).toEqual(["connected"]);
  });

  it("no network in common: no-common-network, naming both services' networks", () => {
    const m = stackOf("    networks: [back]\n|    networks: [front]\n", "web:8000", "networks:\n  front:\n  back:\n");
    expect(wiring(m)).toEqual(["no-common-network"]);
    expect(serviceNetworks(m.stacks[0]!, service(m, "nginx"))).toMatchObject({ kind: "networks", names: ["front"] });
  });

  it("one lists networks, the other is on the default network only: no common network", () => {
    expect(wiring(stackOf("    networks: [back]\n|", "web:8000", "networks:\n  back:\n"))).toEqual(["no-common-network"]);
  });

  it("two keys naming the same network (name:) are one network", () => {
    const top = "networks:\n  front:\n    name: proxy\n    external: true\n  edge:\n    name: proxy\n    external: true\n";
    expect(wiring(stackOf("    networks: [front]\n|    networks: [edge]\n", "web:8000", top))).toEqual(["connected"]);
  });

  it("network_mode: host on either side: compose service names do not resolve", () => {
    expect(wiring(stackOf("|    network_mode: host\n"))).toEqual(["no-common-network"]);
    expect(wiring(stackOf("    network_mode: host\n|"))).toEqual(["no-common-network"]);
  });

  it("network_mode: service:web: localhost in nginx is web's network namespace", () => {
    expect(wiring(stackOf("|    network_mode: service:web\n", "127.0.0.1:8000"))).toEqual(["connected"]);
    // Without it, localhost in nginx is nginx itself.
    expect(wiring(stackOf("|", "127.0.0.1:8000"))).toEqual(["loopback-target"]);
  });

  it("a network_mode from an unset variable is unknown: no finding", () => {
    expect(wiring(stackOf("|    network_mode: ${NGINX_NETWORK_MODE}\n"))).toEqual(["connected"]);
  });
});
