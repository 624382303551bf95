import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { LineIndex } from "../../src/core/line-index.js";
import type { LocatedString } from "../../src/core/location.js";
import {
  isBareExpansion,
  isOperatorWord,
  parseShellScript,
  scanShellWords,
  simpleCommands,
  sliceWord,
  splitShellScript,
  splitShellWords,
  splitWordAsScript,
  wordCharRange,
} from "../../src/parsers/shell-words.js";
import { toolAvailable } from "../support/tools.js";

/** [value, line, column, endColumn] of each word: compact and exact. */
function cols(words: LocatedString[]): [string, number, number, number][] {
  return words.map((w) => [w.value, w.range.line, w.range.column, w.range.endColumn]);
}

describe("splitShellWords", () => {
  it("splits on blanks and removes quotes, keeping each word's source range", () => {
    const words = splitShellWords(`uwsgi --ini "/code/config/uwsgi/uwsgi.ini" 'a b'`, "compose.yml");
    expect(cols(words)).toEqual([
      ["uwsgi", 1, 1, 6],
      ["--ini", 1, 7, 12],
      ["/code/config/uwsgi/uwsgi.ini", 1, 13, 43],
      ["a b", 1, 44, 49],
    ]);
    expect(words[0]?.range.file).toBe("compose.yml");
    expect(words.every((w) => w.unresolved === undefined)).toBe(true);
  });

  it("joins adjacent quoted parts into one word and applies backslash escapes", () => {
    const words = splitShellWords(`--bind="0.0.0.0:8000" f\\ g "a\\"b" 'it'\\''s' "keep\\x"`, "f");
    expect(words.map((w) => w.value)).toEqual(["--bind=0.0.0.0:8000", "f g", 'a"b', "it's", "keep\\x"]);
    expect(cols(words)[0]).toEqual(["--bind=0.0.0.0:8000", 1, 1, 22]);
    expect(cols(words)[1]).toEqual(["f g", 1, 23, 27]);
  });

  it("keeps $VAR, ${VAR:-x}, $(cmd) and backquotes verbatim and lists them as unresolved", () => {
    const words = splitShellWords(`gunicorn --bind 0.0.0.0:\${PORT} -w $WORKERS "--name=\${APP:-web}" --pid=$(cat f) \`hostname\` '$LITERAL'`, "f");
    expect(words.map((w) => [w.value, w.unresolved])).toEqual([
      ["gunicorn", undefined],
      ["--bind", undefined],
      ["0.0.0.0:${PORT}", ["PORT"]],
      ["-w", undefined],
      ["$WORKERS", ["WORKERS"]],
      ["--name=${APP:-web}", ["APP"]],
      ["--pid=$(cat f)", ["$(cat f)"]],
      ["`hostname`", ["`hostname`"]],
      ["$LITERAL", undefined],
    ]);
    expect(words[2]?.range).toEqual({ file: "f", line: 1, column: 17, endLine: 1, endColumn: 32 });
  });

  it("drops # comments at a word start only, and joins backslash-newline continuations", () => {
    const text = "uwsgi \\\n  --socket x#y # a comment\n  --master";
    const words = splitShellWords(text, "Dockerfile");
    expect(cols(words)).toEqual([
      ["uwsgi", 1, 1, 6],
      ["--socket", 2, 3, 11],
      ["x#y", 2, 12, 15],
      ["--master", 3, 3, 11],
    ]);
  });

  it("makes unquoted operators words of their own, but not quoted ones", () => {
    const words = splitShellWords(`migrate&&uwsgi --ini a.ini 2>&1 >/dev/null "&&"`, "f");
    expect(words.map((w) => w.value)).toEqual(["migrate", "&&", "uwsgi", "--ini", "a.ini", "2>&", "1", ">", "/dev/null", "&&"]);
    expect(words.map((w) => isOperatorWord(w))).toEqual([false, true, false, false, false, true, false, true, false, false]);
    expect(cols(words)[1]).toEqual(["&&", 1, 8, 10]);
    expect(cols(words)[5]).toEqual(["2>&", 1, 28, 31]);
  });

  it("maps positions through the file's LineIndex from startOffset", () => {
    const file = 'FROM python:3.12\nCMD uwsgi --http :8000 \\\n    --module "app.wsgi:application"\n';
    const start = file.indexOf("uwsgi");
    const words = splitShellWords(file.slice(start), "Dockerfile", start, new LineIndex(file));
    expect(cols(words)).toEqual([
      ["uwsgi", 2, 5, 10],
      ["--http", 2, 11, 17],
      [":8000", 2, 18, 23],
      ["--module", 3, 5, 13],
      ["app.wsgi:application", 3, 14, 36],
    ]);
  });

  it("without an index, startOffset shifts columns of the first line", () => {
    expect(cols(splitShellWords("a b", "f", 10))).toEqual([
      ["a", 1, 11, 12],
      ["b", 1, 13, 14],
    ]);
  });

  it("reports unterminated quotes and keeps the word read so far", () => {
    const { words, problems } = scanShellWords(`uwsgi --ini "uwsgi.ini`, "f");
    expect(words.map((w) => w.value)).toEqual(["uwsgi", "--ini", "uwsgi.ini"]);
    expect(problems).toEqual([
      { range: { file: "f", line: 1, column: 13, endLine: 1, endColumn: 23 }, message: "unterminated double quote: the word runs to the end of the text" },
    ]);
    const single = scanShellWords(`sh -c 'exec uwsgi`, "f");
    expect(single.words.map((w) => w.value)).toEqual(["sh", "-c", "exec uwsgi"]);
    expect(single.problems.map((p) => [p.message, p.range.column])).toEqual([["unterminated single quote: the word runs to the end of the text", 7]]);
    const subst = scanShellWords("--pid=$(cat", "f");
    expect(subst.words.map((w) => [w.value, w.unresolved])).toEqual([["--pid=$(cat", ["$(cat"]]]);
    expect(subst.problems.map((p) => p.message)).toEqual(["unterminated $(…): the word runs to the end of the text"]);
  });

  it("handles bash $'…' quoting", () => {
    expect(splitShellWords("printf $'a\\tb'", "f").map((w) => w.value)).toEqual(["printf", "a\tb"]);
  });

  it("returns nothing for empty and comment-only text", () => {
    expect(splitShellWords("", "f")).toEqual([]);
    expect(splitShellWords("   # only a comment", "f")).toEqual([]);
  });
});

describe("splitShellWords against bash", () => {
  const bash = toolAvailable("bash", ["bash", "-c", "true"]);
  const cases = [
    `a "b c" 'd e' f\\ g`,
    `--bind="0.0.0.0:8000" -b'unix:/tmp/x.sock' --name=web`,
    `"a\\"b" 'it'\\''s' "back\\\\slash" "keep\\x" ""`,
    "one \\\n two\\\nthree",
    "x#y #comment here",
    `"multi\nline" z`,
    `$'tab\\there' 'q'"r"s`,
  ];
  it.skipIf(!bash).each(cases)("splits %j like bash", (text) => {
    const run = spawnSync("bash", ["-c", `printf '%s\\0' ${text}`], { encoding: "utf8" });
    expect(run.status).toBe(0);
    const expected = run.stdout.split("\0").slice(0, -1);
    expect(splitShellWords(text, "f").map((w) => w.value)).toEqual(expected);
  });
});

describe("splitShellScript", () => {
  it("gives one simple command per list element, with its line", () => {
    const script = [
      "#!/bin/sh",
      "set -e",
      "python manage.py collectstatic --noinput && python manage.py migrate; echo done &",
      "exec gunicorn proj.wsgi:application --bind 0.0.0.0:8000 | tee log || exit 1",
    ].join("\n");
    expect(splitShellScript(script, "entrypoint.sh").map((c) => [c.line, c.words.map((w) => w.value)])).toEqual([
      [2, ["set", "-e"]],
      [3, ["python", "manage.py", "collectstatic", "--noinput"]],
      [3, ["python", "manage.py", "migrate"]],
      [3, ["echo", "done"]],
      [4, ["exec", "gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]],
      [4, ["tee", "log"]],
      [4, ["exit", "1"]],
    ]);
  });

  it("finds commands inside if/then/else/fi, loops and subshells", () => {
    const script = [
      "if [ -f /code/uwsgi.ini ]; then exec uwsgi --ini a.ini; fi",
      "if python manage.py check --deploy",
      "then",
      "  echo ok",
      "else",
      "  exit 1",
      "fi",
      "for f in a b c; do touch $f; done",
      "while ! pg_isready -h db; do sleep 1; done",
      "(cd /code && exec uwsgi --ini b.ini)",
      "{ echo a; echo b; }",
    ].join("\n");
    expect(splitShellScript(script, "s").map((c) => [c.line, c.words.map((w) => w.value)])).toEqual([
      [1, ["[", "-f", "/code/uwsgi.ini", "]"]],
      [1, ["exec", "uwsgi", "--ini", "a.ini"]],
      [2, ["python", "manage.py", "check", "--deploy"]],
      [4, ["echo", "ok"]],
      [6, ["exit", "1"]],
      [8, ["touch", "$f"]],
      [9, ["pg_isready", "-h", "db"]],
      [9, ["sleep", "1"]],
      [10, ["cd", "/code"]],
      [10, ["exec", "uwsgi", "--ini", "b.ini"]],
      [11, ["echo", "a"]],
      [11, ["echo", "b"]],
    ]);
  });

  it("skips case patterns and function headers, keeps their bodies", () => {
    const script = [
      "start() {",
      "  exec uwsgi --ini /etc/uwsgi.ini",
      "}",
      "function migrate_db {",
      "  python manage.py migrate",
      "}",
      'case "$1" in',
      "  web|http)",
      "    start ;;",
      "  (worker) celery -A proj worker ;;",
      "  *) exec \"$@\" ;;",
      "esac",
    ].join("\n");
    expect(splitShellScript(script, "s").map((c) => [c.line, c.words.map((w) => w.value)])).toEqual([
      [2, ["exec", "uwsgi", "--ini", "/etc/uwsgi.ini"]],
      [5, ["python", "manage.py", "migrate"]],
      [9, ["start"]],
      [10, ["celery", "-A", "proj", "worker"]],
      [11, ["exec", "$@"]],
    ]);
  });

  it("drops redirections and skips here-document bodies", () => {
    const script = ["cat > /etc/uwsgi.ini <<'EOF'", "[uwsgi]", "socket = /tmp/never-a-command.sock", "EOF", "exec uwsgi --ini /etc/uwsgi.ini 2>&1 >>/var/log/uwsgi.log"].join("\n");
    expect(splitShellScript(script, "s").map((c) => [c.line, c.words.map((w) => w.value)])).toEqual([
      [1, ["cat"]],
      [5, ["exec", "uwsgi", "--ini", "/etc/uwsgi.ini"]],
    ]);
  });

  it("strips leading tabs before the delimiter of <<-", () => {
    const script = "cat <<-END\n\tuwsgi --fake\n\tEND\nexec gunicorn app.wsgi";
    expect(splitShellScript(script, "s").map((c) => c.words.map((w) => w.value))).toEqual([["cat"], ["exec", "gunicorn", "app.wsgi"]]);
  });

  it("reports a here-document without its end line", () => {
    const { commands, problems } = parseShellScript("cat <<EOF\nuwsgi --never\n", "s");
    expect(commands.map((c) => c.words.map((w) => w.value))).toEqual([["cat"]]);
    expect(problems).toEqual([{ range: { file: "s", line: 1, column: 7, endLine: 1, endColumn: 10 }, message: "here-document delimited by 'EOF' has no end line" }]);
  });

  it("keeps exact ranges of words on later lines", () => {
    const [cmd] = splitShellScript("\n\n  exec gunicorn -b :8000 app.wsgi", "s");
    expect(cmd?.line).toBe(3);
    expect(cols(cmd?.words ?? [])).toEqual([
      ["exec", 3, 3, 7],
      ["gunicorn", 3, 8, 16],
      ["-b", 3, 17, 19],
      [":8000", 3, 20, 25],
      ["app.wsgi", 3, 26, 34],
    ]);
  });
});

describe("splitWordAsScript", () => {
  it("splits the string of sh -c with ranges inside the quotes", () => {
    const words = splitShellWords(`sh -c "python manage.py migrate && uwsgi --ini uwsgi.ini"`, "compose.yml");
    const inner = splitWordAsScript(words[2] as LocatedString);
    expect(inner.commands.map((c) => cols(c.words))).toEqual([
      [
        ["python", 1, 8, 14],
        ["manage.py", 1, 15, 24],
        ["migrate", 1, 25, 32],
      ],
      [
        ["uwsgi", 1, 36, 41],
        ["--ini", 1, 42, 47],
        ["uwsgi.ini", 1, 48, 57],
      ],
    ]);
  });

  it("infers positions for words from other loaders whose range is the quoted value", () => {
    // A compose list item `"exec gunicorn -b :8000 app.wsgi"` at line 7, columns 20..52 (quotes included).
    const word: LocatedString = { value: "exec gunicorn -b :8000 app.wsgi", range: { file: "c.yml", line: 7, column: 20, endLine: 7, endColumn: 53 } };
    expect(splitWordAsScript(word).commands.map((c) => cols(c.words))).toEqual([
      [
        ["exec", 7, 21, 25],
        ["gunicorn", 7, 26, 34],
        ["-b", 7, 35, 37],
        [":8000", 7, 38, 43],
        ["app.wsgi", 7, 44, 52],
      ],
    ]);
  });

  it("gives every inner word the whole range when positions cannot be traced", () => {
    // A folded YAML scalar: two lines in the file, one line of value.
    const range = { file: "c.yml", line: 3, column: 5, endLine: 4, endColumn: 20 };
    const word: LocatedString = { value: "uwsgi --ini a.ini", range };
    const [command] = splitWordAsScript(word).commands;
    expect(command?.words.map((w) => [w.value, w.range])).toEqual([
      ["uwsgi", range],
      ["--ini", range],
      ["a.ini", range],
    ]);
  });
});

describe("simpleCommands", () => {
  it("cuts a word list at operator words and drops redirections", () => {
    const words = splitShellWords("python manage.py migrate && exec uwsgi --ini a.ini > /tmp/log", "f");
    expect(simpleCommands(words).map((c) => [c.words.map((w) => w.value), c.indices])).toEqual([
      [["python", "manage.py", "migrate"], [0, 1, 2]],
      [["exec", "uwsgi", "--ini", "a.ini"], [4, 5, 6, 7]],
    ]);
  });

  it("treats operator-looking words from other loaders as operators", () => {
    const r = { file: "c.yml", line: 1, column: 1, endLine: 1, endColumn: 2 };
    const words: LocatedString[] = ["migrate", "&&", "uwsgi", "2>&1"].map((value) => ({ value, range: r }));
    expect(simpleCommands(words).map((c) => c.words.map((w) => w.value))).toEqual([["migrate"], ["uwsgi"]]);
  });
});

describe("conditional commands", () => {
  it("marks commands in if/loop bodies, case arms and functions, not in conditions or groups", () => {
    const script = [
      "python manage.py migrate",
      "if [ \"$DEBUG\" = 1 ]; then python manage.py runserver 0.0.0.0:8000; else exec gunicorn app.wsgi; fi",
      "while ! pg_isready; do sleep 1; done",
      "for f in a b; do touch $f; done",
      'case "$1" in web) exec uwsgi --ini a.ini ;; esac',
      "start() { exec uwsgi --ini b.ini; }",
      "{ echo grouped; }",
      "exec uwsgi --ini c.ini",
    ].join("\n");
    expect(splitShellScript(script, "s").map((c) => [c.words[0]?.value, c.words[c.words.length - 1]?.value, c.conditional])).toEqual([
      ["python", "migrate", false],
      ["[", "]", false],
      ["python", "0.0.0.0:8000", true],
      ["exec", "app.wsgi", true],
      ["pg_isready", "pg_isready", false],
      ["sleep", "1", true],
      ["touch", "$f", true],
      ["exec", "a.ini", true],
      ["exec", "b.ini", true],
      ["echo", "grouped", false],
      ["exec", "c.ini", false],
    ]);
  });
});

describe("isBareExpansion", () => {
  it("is true for an unquoted lone expansion only", () => {
    expect(splitShellWords(`$ARGS \${OPTS} $@ "$APP" '$LIT' x$Y`, "f").map(isBareExpansion)).toEqual([true, true, true, false, false, false]);
    expect(isBareExpansion({ value: "$ARGS", range: { file: "c", line: 1, column: 1, endLine: 1, endColumn: 6 }, unresolved: ["ARGS"] })).toBe(true);
  });
});

describe("sliceWord / wordCharRange", () => {
  it("cuts a word with exact sub-ranges and keeps the unresolved variables inside the part", () => {
    const [word] = splitShellWords(`"--bind=0.0.0.0:\${PORT}"`, "f");
    expect(word?.value).toBe("--bind=0.0.0.0:${PORT}");
    const value = sliceWord(word as LocatedString, 7);
    expect(value).toEqual({ value: "0.0.0.0:${PORT}", range: { file: "f", line: 1, column: 9, endLine: 1, endColumn: 24 }, unresolved: ["PORT"] });
    const name = sliceWord(word as LocatedString, 0, 6);
    expect(name).toEqual({ value: "--bind", range: { file: "f", line: 1, column: 2, endLine: 1, endColumn: 8 } });
    expect(wordCharRange(word as LocatedString, 6, 6)).toEqual({ file: "f", line: 1, column: 8, endLine: 1, endColumn: 8 });
  });

  it("falls back to the whole range for words whose characters cannot be traced", () => {
    const range = { file: "c.yml", line: 2, column: 3, endLine: 3, endColumn: 4 };
    expect(sliceWord({ value: "--bind=:80", range }, 7)).toEqual({ value: ":80", range });
  });
});
