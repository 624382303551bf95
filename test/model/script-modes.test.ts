import { describe, expect, it } from "vitest";
import { chmodCovers, grantsExecute } from "../../src/model/script-modes.js";

describe("script-modes: which chmod makes a script executable", () => {
  it("modes that give someone the execute bit", () => {
    for (const mode of ["755", "0755", "700", "775", "+x", "a+x", "u+rwx", "ug+x", "u=rwx,g=rx,o=rx", "+rx", "${MODE}"]) expect(grantsExecute(mode), mode).toBe(true);
    for (const mode of ["644", "0644", "600", "1666", "+r", "u+w", "a-x", "go=r", "a+X"]) expect(grantsExecute(mode), mode).toBe(false);
  });

  it("RUN texts that cover /app/start.sh", () => {
    const covers = (text: string): boolean => chmodCovers(text, "/app/start.sh", "/app");
    expect(covers("chmod +x /app/start.sh")).toBe(true);
    expect(covers("sed -i 's/\\r$//' /app/start.sh && chmod 755 /app/start.sh")).toBe(true);
    expect(covers("chmod -R 755 /app")).toBe(true);
    expect(covers("chmod +x /app/*.sh")).toBe(true);
    expect(covers("chmod +x start.sh")).toBe(true);
    expect(covers('["chmod", "+x", "/app/start.sh"]')).toBe(true);
    expect(covers("find /app -name '*.sh' -exec chmod +x {} \\;")).toBe(true);
    expect(covers("ls /app/*.sh | xargs chmod +x")).toBe(true);
    // Not this file, not executable, or a directory without -R.
    expect(covers("chmod +x /app/other.sh")).toBe(false);
    expect(covers("chmod 644 /app/start.sh")).toBe(false);
    expect(covers("chmod 755 /app")).toBe(false);
    expect(covers("chmod -R 755 /srv")).toBe(false);
    expect(covers("pip install -r requirements.txt")).toBe(false);
  });
});
