import { describe, expect, it } from "vitest";
import { evaluateModule, type LibraryOptions } from "../../src/python/evaluate.js";
import { pyRepr, type PyValue } from "../../src/python/values.js";
import { envOf, memoryHost, valueOf } from "./helpers.js";

/**
 * dj-database-url, release by release. The expected values are repr() of
 * `dj_database_url.parse(url)` as each release's own module (checked out at its tag) returns
 * them under CPython 3.11 with Django 3.2 installed — no release is a Debian package, so the
 * table is kept here rather than run live.
 */
const URLS = [
  "postgres://u:p%40ss@DB.example:5433/app?sslmode=require&currentSchema=s1",
  "postgres://bookshelf:pw@db/bookshelf",
  "mysql://root:secret@MySQL:3306/shop?ssl-ca=/ca.pem",
  "sqlite:////data/db.sqlite3",
  "sqlite://",
  "oracle://u:p@ora:1521/xe",
  "postgres://%2Fvar%2Frun%2Fpostgresql/app",
  "postgres://u@db:99999/x",
  "mssql://u:p@h:1433/d?a=1&a=2",
  "sqlite://:memory:"
];
/** repr() of dj_database_url.parse(url) per release, from each release's own code run by CPython 3.11 (Django 3.2 installed). */
const EXPECTED: Record<string, string[]> = {
  "0.5.0": [
    "{'NAME': 'app', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'CONN_MAX_AGE': 0, 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}, 'ENGINE': 'django.db.backends.postgresql_psycopg2'}",
    "{'NAME': 'bookshelf', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.postgresql_psycopg2'}",
    "{'NAME': 'shop', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'CONN_MAX_AGE': 0, 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}, 'ENGINE': 'django.db.backends.mysql'}",
    "{'NAME': '/data/db.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': ':memory:', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': 'xe', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.oracle'}",
    "{'NAME': 'app', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.postgresql_psycopg2'}",
    "<ValueError>",
    "{'NAME': 'd', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': 1433, 'CONN_MAX_AGE': 0, 'OPTIONS': {'a': '2'}, 'ENGINE': 'sql_server.pyodbc'}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ],
  "1.0.0": [
    "{'NAME': 'app', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'CONN_MAX_AGE': 0, 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'bookshelf', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'shop', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'CONN_MAX_AGE': 0, 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}, 'ENGINE': 'django.db.backends.mysql'}",
    "{'NAME': '/data/db.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': ':memory:', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': 'xe', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.oracle'}",
    "{'NAME': 'app', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'CONN_MAX_AGE': 0, 'ENGINE': 'django.db.backends.postgresql'}",
    "<ValueError>",
    "{'NAME': 'd', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': '1433', 'CONN_MAX_AGE': 0, 'OPTIONS': {'a': '2'}, 'ENGINE': 'sql_server.pyodbc'}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ],
  "1.1.0": [
    "{'NAME': 'app', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'bookshelf', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'shop', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}, 'ENGINE': 'django.db.backends.mysql'}",
    "{'NAME': '/data/db.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': ':memory:', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': 'xe', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.oracle'}",
    "{'NAME': 'app', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "<ValueError>",
    "{'NAME': 'd', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': '1433', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'OPTIONS': {'a': '2'}, 'ENGINE': 'sql_server.pyodbc'}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ],
  "1.2.0": [
    "{'NAME': 'app', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'bookshelf', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'shop', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}, 'ENGINE': 'django.db.backends.mysql'}",
    "{'NAME': '/data/db.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': ':memory:', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': 'xe', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.oracle'}",
    "{'NAME': 'app', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "<ValueError>",
    "{'NAME': 'd', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': '1433', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'OPTIONS': {'a': '2'}, 'ENGINE': 'sql_server.pyodbc'}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ],
  "1.3.0": [
    "{'NAME': 'app', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}}",
    "{'NAME': 'bookshelf', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'shop', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.mysql', 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}}",
    "{'NAME': '/data/db.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': ':memory:', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': 'xe', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.oracle'}",
    "{'NAME': 'app', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "<ValueError>",
    "{'NAME': 'd', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': '1433', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'sql_server.pyodbc', 'OPTIONS': {'a': '2'}}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ],
  "2.1.0": [
    "{'NAME': 'app', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}}",
    "{'NAME': 'bookshelf', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'shop', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.mysql', 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}}",
    "{'NAME': '/data/db.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': ':memory:', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': 'xe', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.oracle'}",
    "{'NAME': 'app', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "<ValueError>",
    "{'NAME': 'd', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': '1433', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'ENGINE': 'sql_server.pyodbc', 'OPTIONS': {'a': 2}}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ],
  "2.2.0": [
    "{'NAME': 'app', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}}",
    "{'NAME': 'bookshelf', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "{'NAME': 'shop', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'django.db.backends.mysql', 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}}",
    "{'NAME': '/data/db.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': ':memory:', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'django.db.backends.sqlite3'}",
    "{'NAME': 'xe', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'django.db.backends.oracle'}",
    "{'NAME': 'app', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'django.db.backends.postgresql'}",
    "<ValueError>",
    "{'NAME': 'd', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': '1433', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'ENGINE': 'sql_server.pyodbc', 'OPTIONS': {'a': 2}}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ],
  "3.1.2": [
    "{'ENGINE': 'django.db.backends.postgresql', 'USER': 'u', 'PASSWORD': 'p@ss', 'HOST': 'db.example', 'PORT': 5433, 'NAME': 'app', 'OPTIONS': {'sslmode': 'require', 'options': '-c search_path=s1'}, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "{'ENGINE': 'django.db.backends.postgresql', 'USER': 'bookshelf', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': '', 'NAME': 'bookshelf', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "{'ENGINE': 'django.db.backends.mysql', 'USER': 'root', 'PASSWORD': 'secret', 'HOST': 'mysql', 'PORT': 3306, 'NAME': 'shop', 'OPTIONS': {'ssl': {'ca': '/ca.pem'}}, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'NAME': '/data/db.sqlite3', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '', 'NAME': ':memory:', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "{'ENGINE': 'django.db.backends.oracle', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'ora', 'PORT': '1521', 'NAME': 'xe', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "{'ENGINE': 'django.db.backends.postgresql', 'USER': '', 'PASSWORD': '', 'HOST': '/var/run/postgresql', 'PORT': '', 'NAME': 'app', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "<ParseError>",
    "{'ENGINE': 'sql_server.pyodbc', 'USER': 'u', 'PASSWORD': 'p', 'HOST': 'h', 'PORT': '1433', 'NAME': 'd', 'OPTIONS': {'a': [1, 2]}, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}",
    "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}"
  ]
};

const S = "proj/settings.py";

function valueIn(evaluation: ReturnType<typeof evaluateModule>, name: string): PyValue {
  const v = valueOf(evaluation, name);
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
}

function options(version: string): LibraryOptions {
  return { versions: { "dj-database-url": version }, django: { major: 3, minor: 2 } };
}

function evaluate(lines: string[], vars: Record<string, string> = {}, libraries: LibraryOptions = options("3.1.2"), unknownVars: Record<string, string> = {}) {
  const files = { "proj/__init__.py": "", [S]: ["import dj_database_url", ...lines, ""].join("\n") };
  return evaluateModule("proj.settings", memoryHost(files, "/app"), envOf(vars, unknownVars), { libraries });
}

describe("dj-database-url", () => {
  for (const [version, expected] of Object.entries(EXPECTED)) {
    it(`parse() as release ${version} returns it`, () => {
      const lines = URLS.flatMap((url, i) => ["try:", `    V${i} = dj_database_url.parse(${JSON.stringify(url)})`, "except ValueError:", `    V${i} = '<ValueError>'`]);
      const evaluation = evaluate(lines, {}, options(version));
      const ours = URLS.map((_, i) => {
        const v = valueIn(evaluation, `V${i}`);
        return v.kind === "str" && v.value.startsWith("<") ? v.value : pyRepr(v);
      });
      // ParseError is a ValueError: the except clause sees both the same way.
      expect(ours).toEqual(expected.map((e) => (e === "<ParseError>" ? "<ValueError>" : e)));
    });
  }

  it("a scheme the release does not register is unknown (register() may add it), not an error", () => {
    expect(valueIn(evaluate(["X = dj_database_url.parse('redis://cache:6379/0')"]), "X").kind).toBe("unknown");
    expect(valueIn(evaluate(["X = dj_database_url.parse('redis://cache:6379/0')"], {}, options("0.5.0")), "X").kind).toBe("unknown");
  });

  it("config() reads DATABASE_URL (or env=) and records the read", () => {
    const evaluation = evaluate(["DATABASES = {'default': dj_database_url.config(conn_max_age=600)}"], { DATABASE_URL: "postgres://shop:pw@db:5432/shop" });
    expect(pyRepr(valueIn(evaluation, "DATABASES"))).toBe(
      "{'default': {'ENGINE': 'django.db.backends.postgresql', 'USER': 'shop', 'PASSWORD': 'pw', 'HOST': 'db', 'PORT': 5432, 'NAME': 'shop', 'CONN_MAX_AGE': 600, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False}}",
    );
    const read = evaluation.values.get("DATABASES")?.envReads[0];
    expect(read).toMatchObject({ name: "DATABASE_URL", via: "dj_database_url.config", provided: true, hasDefault: false });
    const other = evaluate(["X = dj_database_url.config(env='PG_URL', default='sqlite:////data/db.sqlite3')"]);
    expect(pyRepr(valueIn(other, "X"))).toContain("'NAME': '/data/db.sqlite3'");
    expect(other.values.get("X")?.envReads[0]).toMatchObject({ name: "PG_URL", provided: false, hasDefault: true });
  });

  it("config() without a value is {}; an unknown value is unknown", () => {
    expect(pyRepr(valueIn(evaluate(["X = dj_database_url.config()"]), "X"))).toBe("{}");
    expect(pyRepr(valueIn(evaluate(["X = dj_database_url.config(default='')"]), "X"))).toBe("{}");
    expect(valueIn(evaluate(["X = dj_database_url.config()"], {}, options("3.1.2"), { DATABASE_URL: "env file not in the repository" }), "X")).toEqual({
      kind: "unknown",
      reason: "env file not in the repository",
    });
  });

  it("1.1.0's config() passes ssl_require where parse() takes conn_health_checks", () => {
    const evaluation = evaluate(["X = dj_database_url.config(ssl_require=True)"], { DATABASE_URL: "postgres://u@db/x" }, options("1.1.0"));
    expect(pyRepr(valueIn(evaluation, "X"))).toBe("{'NAME': 'x', 'USER': 'u', 'PASSWORD': '', 'HOST': 'db', 'PORT': '', 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': True, 'ENGINE': 'django.db.backends.postgresql'}");
  });

  it("engine=, ssl_require= and test_options= (3.x)", () => {
    const evaluation = evaluate(["X = dj_database_url.parse('postgres://u@db/x', engine='django_tenants.postgresql_backend', ssl_require=True, test_options={'NAME': 't'})"]);
    expect(pyRepr(valueIn(evaluation, "X"))).toBe(
      "{'ENGINE': 'django_tenants.postgresql_backend', 'USER': 'u', 'PASSWORD': '', 'HOST': 'db', 'PORT': '', 'NAME': 'x', 'OPTIONS': {'sslmode': 'require'}, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'DISABLE_SERVER_SIDE_CURSORS': False, 'TEST': {'NAME': 't'}}",
    );
  });

  it("a repository module named dj_database_url shadows the library", () => {
    const files = { "proj/__init__.py": "", "dj_database_url.py": "def config():\n    return {}\n", [S]: "import dj_database_url\nX = dj_database_url.config()\n" };
    const evaluation = evaluateModule("proj.settings", memoryHost(files, "/app"), envOf({ DATABASE_URL: "postgres://u@db/x" }), { libraries: options("3.1.2") });
    expect(valueIn(evaluation, "X").kind).toBe("unknown");
  });
});
