import { expect, it } from "vitest";
import { lintProject } from "../../../src/lint.js";
import { backingConnections, hostReach } from "../../../src/model/backing-services.js";
import { project } from "../../model/helpers.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/db-host";
const SETTINGS = "app/bookshelf/settings.py";

/** [service, connection, host, where it leads] for every database connection of a fixture's production services. */
function reaches(fixture: string): [string, string, string, string][] {
  const { model } = lintRuleFixture(RULE, fixture).result;
  return model.stacks.flatMap((stack) =>
    stack.services.flatMap((service) =>
      backingConnections(service)
        .filter((c) => c.kind === "database")
        .map((c): [string, string, string, string] => {
          const reach = hostReach(model, c);
          return [service.name, c.label, c.host?.text ?? "", reach.kind === "service" ? `service ${reach.target.name} (${reach.via})` : reach.kind];
        }),
    ),
  );
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-localhost", plants: "HOST 'localhost' in a container that runs no PostgreSQL", rows: [[RULE, SETTINGS, 39, 17]] },
      { fixture: "bad-empty-host", plants: "HOST '' (the local unix socket) in the web container", rows: [[RULE, SETTINGS, 39, 17]] },
      { fixture: "bad-database-url-loopback", plants: "env.db() with DATABASE_URL at 127.0.0.1 in .env", rows: [[RULE, ".env", 3, 1]] },
      { fixture: "bad-dj-database-url-typo", plants: "dj_database_url.config() with host 'postgress' in the compose environment", rows: [[RULE, "docker-compose.yml", 16, 7]] },
      { fixture: "bad-split-settings-default", plants: "prod.py overrides HOST with os.environ.get('DB_HOST', 'localhost'), DB_HOST unset", rows: [[RULE, "app/bookshelf/settings/prod.py", 6, 58]] },
    ],
    good: ["good", "good-dj-database-url", "good-managed-database", "good-network-alias", "good-container-name", "good-unknown-host"],
  },
  () => {
    it("localhost: says it is the container itself and names the database service", () => {
      const finding = findingOf(RULE, "bad-localhost");
      expect(finding.message).toContain("HOST 'localhost'");
      expect(finding.message).toContain("the Django container itself (service 'web')");
      expect(finding.message).toContain("use 'db', the service that runs PostgreSQL");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 3, 12]]);
      expect(finding.related[0]?.message).toBe("service 'db' runs PostgreSQL (postgres:16)");
    });

    it("an empty HOST: explains the unix socket", () => {
      const finding = findingOf(RULE, "bad-empty-host");
      expect(finding.message).toContain("HOST is empty");
      expect(finding.message).toContain("unix socket in /var/run/postgresql");
      expect(finding.message).toContain("set HOST to 'db'");
    });

    it("DATABASE_URL in .env: points at the env line, the read site and the env_file entry, never the password", () => {
      const finding = findingOf(RULE, "bad-database-url-loopback");
      expect(finding.message).toContain("HOST '127.0.0.1' (DATABASE_URL in .env line 3)");
      expect(finding.message).not.toContain("s3cret");
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 37, 25],
        ["docker-compose.yml", 13, 15],
        ["docker-compose.yml", 3, 12],
      ]);
      expect(finding.related[0]?.message).toBe("DATABASES['default'] reads DATABASE_URL here");
      expect(finding.related[1]?.message).toBe("env_file gives .env to service 'web'");
    });

    it("a name no service answers to: says so and suggests the database service", () => {
      const finding = findingOf(RULE, "bad-dj-database-url-typo");
      expect(finding.message).toContain("HOST 'postgress' (DATABASE_URL in the compose environment, docker-compose.yml line 16)");
      expect(finding.message).toContain("is not a service, network alias, container_name or hostname of the compose stack");
      expect(finding.message).toContain("did you mean 'db'?");
      expect(finding.message).not.toContain("s3cret");
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 35, 25],
        ["docker-compose.yml", 3, 12],
      ]);
    });

    it("split settings: the default of an unset variable is named", () => {
      const finding = findingOf(RULE, "bad-split-settings-default");
      expect(finding.message).toContain("HOST 'localhost' (DB_HOST is not set in service 'web', so the default applies)");
    });

    it("one settings file in two production stacks and two Django services: one finding naming both stacks", () => {
      const service = (name: string) =>
        `  ${name}:\n    image: python:3.12\n    working_dir: /code\n    volumes:\n      - .:/code\n    command: gunicorn proj.wsgi --bind 0.0.0.0:8000\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n`;
      const compose = `services:\n  db:\n    image: postgres:16\n${service("web")}${service("api")}`;
      const root = project({
        "docker-compose.yml": compose,
        "production.yml": compose,
        "proj/__init__.py": "",
        "proj/wsgi.py": "",
        "proj/settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "localhost"}}\n',
      });
      const findings = lintProject(root, { selection: { select: [RULE], ignore: [] } }).findings;
      expect(findings.map((f) => [f.range.file, f.range.line, f.stacks])).toEqual([["proj/settings.py", 1, ["docker-compose.yml", "production.yml"]]]);
    });

    // The good fixtures are silent because each host resolves, not because nothing was checked.
    it("good fixtures: where each database host leads", () => {
      expect(reaches("good")).toEqual([["web", "DATABASES['default']", "db", "service db (its service name)"]]);
      expect(reaches("good-dj-database-url")).toEqual([["web", "DATABASES['default']", "db", "service db (its service name)"]]);
      expect(reaches("good-network-alias")).toEqual([["web", "DATABASES['default']", "postgres", "service db (a network alias)"]]);
      expect(reaches("good-container-name")).toEqual([["web", "DATABASES['default']", "bookshelf-db", "service db (its container_name)"]]);
      expect(reaches("good-managed-database")).toEqual([["web", "DATABASES['default']", "bookshelf-prod.c7x2kq1mz9ab.eu-west-1.rds.amazonaws.com", "silent"]]);
      // os.environ["DB_HOST"] with DB_HOST passed through from the deploying shell: unknown, so no connection to judge.
      expect(reaches("good-unknown-host")).toEqual([]);
    });
  },
);
