import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  interpolate,
  mappedSpan,
  mappedVerbatim,
  projectEnvironment,
  splitShellWords,
} from "../../src/parsers/compose-interpolation.js";
import { toolAvailable } from "../support/tools.js";

const ENV = new Map([
  ["SET", "value"],
  ["EMPTY", ""],
  ["PORT", "8000"],
]);

/** Interpolates `text` as if it started at offset 100 of a file. */
function run(text: string, env: ReadonlyMap<string, string> = ENV) {
  return interpolate(mappedVerbatim(text, 100), env, "services.web.image");
}

describe("interpolate", () => {
  it.each([
    ["plain text", "plain text"],
    ["$SET", "value"],
    ["${SET}", "value"],
    ["a${SET}b", "avalueb"],
    ["${SET:-d}", "value"],
    ["${EMPTY:-d}", "d"],
    ["${UNSET:-d}", "d"],
    ["${SET-d}", "value"],
    ["${EMPTY-d}", ""],
    ["${UNSET-d}", "d"],
    ["${SET:+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["${UNSET:+alt}", ""],
    ["${SET+alt}", "alt"],
    ["${EMPTY+alt}", "alt"],
    ["${UNSET+alt}", ""],
    ["${SET:?boom}", "value"],
    ["${EMPTY?boom}", ""],
    ["$$SET", "$SET"],
    ["$${SET}", "${SET}"],
    ["cost: $$5", "cost: $5"],
    ["${UNSET:-${PORT}}", "8000"],
    ["${UNSET:-${ALSO_UNSET:-deep}}", "deep"],
    ["${UNSET:-a:b-c}", "a:b-c"],
    ["$SET.x", "value.x"],
    ["${_under_score1:-x}", "x"],
  ])("%s → %s", (input, expected) => {
    const result = run(input);
    expect(result.text.text).toBe(expected);
    expect(result.errors).toEqual([]);
    expect(result.unresolved).toEqual([]);
  });

  it("substitutes an empty string for a variable with no value and no default, and names it", () => {
    const result = run("pre-${NOPE}-$NADA-${NOPE}");
    expect(result.text.text).toBe("pre---");
    expect(result.unresolved).toEqual(["NOPE", "NADA"]);
    expect(result.markers).toEqual([
      { name: "NOPE", index: 4, start: 104, end: 111 },
      { name: "NADA", index: 5, start: 112, end: 117 },
      { name: "NOPE", index: 6, start: 118, end: 125 },
    ]);
    expect(result.errors).toEqual([]);
  });

  it("marks unresolved variables inside defaults at their own place", () => {
    expect(run("a${UNSET:-${NOPE}}").markers).toEqual([{ name: "NOPE", index: 1, start: 110, end: 117 }]);
  });

  it("reports a missing required variable with compose's message and the expression's offsets", () => {
    const result = run("x${DB_PASSWORD:?set it in .env}y");
    expect(result.text.text).toBe("xy");
    expect(result.unresolved).toEqual(["DB_PASSWORD"]);
    expect(result.errors).toEqual([
      { message: "required variable DB_PASSWORD is missing a value: set it in .env", requiredVariable: "DB_PASSWORD", start: 101, end: 131 },
    ]);
  });

  it("`:?` rejects an empty value, `?` accepts it; an empty message has no colon", () => {
    expect(run("${EMPTY:?}").errors).toEqual([{ message: "required variable EMPTY is missing a value", requiredVariable: "EMPTY", start: 100, end: 110 }]);
    expect(run("${EMPTY?}").errors).toEqual([]);
    expect(run("${UNSET?need ${PORT}}").errors.map((e) => e.message)).toEqual(["required variable UNSET is missing a value: need 8000"]);
  });

  it.each([
    ["echo $1", 105, 107],
    ["${}", 100, 103],
    ["${1X}", 100, 105],
    ["${VAR:x}", 100, 108],
    ["${VAR.x}", 100, 108],
    ["trailing $", 109, 110],
    ["${UNCLOSED", 100, 110],
  ])("rejects %j as an invalid interpolation at [%i, %i)", (input, start, end) => {
    const result = run(input);
    expect(result.errors).toEqual([
      {
        message: `invalid interpolation format for services.web.image: ${JSON.stringify(input)}; you may need to escape any $ with another $`,
        start,
        end,
      },
    ]);
  });

  it("keeps invalid text as written", () => {
    expect(run("echo $1").text.text).toBe("echo $1");
    expect(run("${UNCLOSED").text.text).toBe("${UNCLOSED");
  });

  it("maps a substituted value to its whole expression and a default's characters to their own place", () => {
    const result = run("a${SET}b${UNSET:-xy}");
    expect(result.text.text).toBe("avaluebxy");
    expect(mappedSpan(result.text, 0, 1)).toEqual([100, 101]); // a
    expect(mappedSpan(result.text, 1, 6)).toEqual([101, 107]); // value ← ${SET}
    expect(mappedSpan(result.text, 6, 7)).toEqual([107, 108]); // b
    expect(mappedSpan(result.text, 7, 9)).toEqual([108, 120]); // xy ← the whole ${UNSET:-xy}
    expect(mappedSpan(result.text, 7, 8)).toEqual([108, 118]); // x ← `${UNSET:-x`
    expect(mappedSpan(result.text, 8, 9)).toEqual([118, 120]); // y ← `y}`
    expect(mappedSpan(result.text, 9, 9)).toEqual([120, 120]);
  });

  it("looks names up exactly (case-sensitive)", () => {
    expect(run("${set}").unresolved).toEqual(["set"]);
  });
});

describe("splitShellWords", () => {
  const words = (text: string) => splitShellWords(mappedVerbatim(text, 10));

  it("splits on whitespace and keeps each word's source span, quotes included", () => {
    const result = words(`gunicorn -b "0.0.0.0:8000"  app.wsgi`);
    expect(result.error).toBeUndefined();
    expect(result.words).toEqual([
      { text: "gunicorn", from: 0, to: 8, start: 10, end: 18 },
      { text: "-b", from: 9, to: 11, start: 19, end: 21 },
      { text: "0.0.0.0:8000", from: 12, to: 26, start: 22, end: 36 },
      { text: "app.wsgi", from: 28, to: 36, start: 38, end: 46 },
    ]);
  });

  it.each([
    [`sh -c 'python manage.py migrate && gunicorn app'`, ["sh", "-c", "python manage.py migrate && gunicorn app"]],
    [`a"b c"d`, ["ab cd"]],
    [`'' ""`, ["", ""]],
    [`a\\ b`, ["a b"]],
    [`"a\\"b" "c\\\\d" "e\\$f"`, [`a"b`, `c\\d`, `e\\$f`]],
    [`'a\\b'`, [`a\\b`]],
    ["  \t\n ", []],
    ["one\ntwo", ["one", "two"]],
    ["# not a comment", ["#", "not", "a", "comment"]],
  ])("%j → %j", (input, expected) => {
    const result = words(input);
    expect(result.error).toBeUndefined();
    expect(result.words.map((w) => w.text)).toEqual(expected);
  });

  it("reports what shlex reports for an unclosed quote or a trailing backslash", () => {
    expect(words(`echo "unclosed`)).toMatchObject({ error: "No closing quotation", words: [{ text: "echo" }, { text: "unclosed" }] });
    expect(words(`echo 'x`).error).toBe("No closing quotation");
    expect(words(`echo \\`).error).toBe("No escaped character");
  });

  const python = toolAvailable("python3", ["python3", "--version"]);
  it.skipIf(!python)("agrees with Python's shlex.split on a corpus", () => {
    const corpus = [
      `uwsgi --ini /app/uwsgi.ini`,
      `bash -c "python manage.py collectstatic --noinput && uwsgi --ini uwsgi.ini"`,
      `sh -c 'until pg_isready -h db; do sleep 1; done; exec "$@"' --`,
      `gunicorn --bind 0.0.0.0:8000 --workers=3 'config.wsgi:application'`,
      `echo "a 'b' c" 'd "e" f' g\\ h "i\\"j" "k\\l"`,
      `x""y''z`,
      `tab\tseparated\nlines`,
    ];
    const out = spawnSync("python3", ["-c", "import json,shlex,sys; print(json.dumps([shlex.split(s) for s in json.loads(sys.argv[1])]))", JSON.stringify(corpus)], {
      encoding: "utf8",
    });
    const expected = JSON.parse(out.stdout) as string[][];
    expect(corpus.map((c) => words(c).words.map((w) => w.text))).toEqual(expected);
  });
});

describe("projectEnvironment", () => {
  it("reads the .env with the dotenv loader and expands ${VAR} from earlier lines, except in single quotes", () => {
    const env = projectEnvironment(
      [
        "# comment",
        "export APP_PORT=8000",
        "HOST=db",
        "URL=postgres://${HOST}:${APP_PORT:-5432}/app",
        "SINGLE='${HOST}'",
        'DOUBLE="${HOST} and more"',
        "LATER=${DEFINED_BELOW}",
        "DEFINED_BELOW=x",
        "ODD=$1 stays",
        "EMPTY=",
      ].join("\n"),
      ".env",
    );
    expect(Object.fromEntries(env)).toEqual({
      APP_PORT: "8000",
      HOST: "db",
      URL: "postgres://db:8000/app",
      SINGLE: "${HOST}",
      DOUBLE: "db and more",
      LATER: "",
      DEFINED_BELOW: "x",
      ODD: "$1 stays",
      EMPTY: "",
    });
  });

  it("agrees with the dotenv package on values without `$`", async () => {
    const dotenv = await import("dotenv");
    const text = "A=1\nB='two words'\nC=\"line\\nbreak\"\nD=inline # comment\n  E = spaced  \nexport F=exported\n";
    expect(Object.fromEntries(projectEnvironment(text, ".env"))).toEqual(dotenv.parse(text));
  });
});
