import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../../src/parsers/dockerfile.js";
import type { Dockerfile, DockerStage } from "../../src/parsers/dockerfile.js";

const F = "Dockerfile";
const r = (line: number, column: number, endLine: number, endColumn: number) => ({ file: F, line, column, endLine, endColumn });

function parse(text: string, buildArgs?: Map<string, string>): Dockerfile {
  return parseDockerfile(text, F, buildArgs);
}
function only(text: string): DockerStage {
  const d = parse(text);
  expect(d.problems).toEqual([]);
  expect(d.stages).toHaveLength(1);
  return d.stages[0]!;
}

describe("parseDockerfile: a multi-stage Django image (fixture)", () => {
  const text = readFileSync(new URL("../../fixtures/loaders/dockerfile/django-uwsgi.Dockerfile", import.meta.url), "utf8");
  const d = parse(text);
  const [builder, runtime] = d.stages;

  it("has two stages and no problems", () => {
    expect(d.problems).toEqual([]);
    expect(d.stages.map((s) => [s.index, s.name, s.baseImage.value, s.baseStage])).toEqual([
      [0, "builder", "python:3.12-slim", undefined],
      [1, "runtime", "python:3.12-slim", undefined],
    ]);
    expect(builder!.range).toEqual(r(4, 1, 4, 46));
    expect(builder!.baseImage).toEqual({ value: "python:3.12-slim", range: r(4, 6, 4, 35) });
  });

  it("reads ENV across continuation lines", () => {
    expect([...builder!.env.values()]).toEqual([
      { name: "PIP_NO_CACHE_DIR", value: "1", range: r(5, 5, 5, 23) },
      { name: "VIRTUAL_ENV", value: "/opt/venv", range: r(6, 5, 6, 26) },
    ]);
    expect([...runtime!.env.values()]).toEqual([
      { name: "APP_HOME", value: "/home/app/web", range: r(16, 5, 16, 27) },
      { name: "PATH", value: "/opt/venv/bin:$PATH", range: r(17, 5, 17, 31), unresolved: ["PATH"] },
      {
        name: "DJANGO_SETTINGS_MODULE",
        value: "config.settings.prod",
        range: r(18, 5, 18, 75),
        unresolved: ["DJANGO_SETTINGS_MODULE"],
      },
    ]);
  });

  it("reads ARGs of a stage", () => {
    expect([...runtime!.args.values()]).toEqual([
      { name: "APP_USER", defaultValue: "django", value: "django", range: r(14, 5, 14, 20) },
      { name: "DJANGO_SETTINGS_MODULE", range: r(15, 5, 15, 27) },
    ]);
    expect(builder!.args.size).toBe(0);
  });

  it("joins RUN continuations and drops flags", () => {
    expect(builder!.runs).toEqual([
      { text: "python -m venv $VIRTUAL_ENV  && $VIRTUAL_ENV/bin/pip install --upgrade pip", range: r(7, 1, 8, 47) },
      { text: "/opt/venv/bin/pip install -r /tmp/requirements/prod.txt", range: r(10, 1, 11, 60) },
    ]);
  });

  it("resolves WORKDIR and COPY destinations", () => {
    expect(runtime!.workdirs).toEqual([{ path: "/home/app/web", range: r(19, 1, 19, 18) }]);
    expect(runtime!.finalWorkdir).toBe("/home/app/web");
    expect(builder!.finalWorkdir).toBe("/");
    expect(builder!.copies).toEqual([
      {
        instruction: "COPY",
        sources: [{ value: "requirements/", range: r(9, 6, 9, 19) }],
        destination: { value: "/tmp/requirements/", range: r(9, 20, 9, 38) },
        destinationAbs: "/tmp/requirements/",
        range: r(9, 1, 9, 38),
      },
    ]);
    expect(runtime!.copies).toEqual([
      {
        instruction: "COPY",
        sources: [{ value: "/opt/venv", range: r(20, 21, 20, 30) }],
        destination: { value: "/opt/venv", range: r(20, 31, 20, 40) },
        destinationAbs: "/opt/venv",
        fromStage: "builder",
        range: r(20, 1, 20, 40),
      },
      {
        instruction: "COPY",
        sources: [{ value: ".", range: r(21, 38, 21, 39) }],
        destination: { value: ".", range: r(21, 40, 21, 41) },
        destinationAbs: "/home/app/web/",
        chown: "django:django",
        range: r(21, 1, 21, 41),
      },
      {
        instruction: "COPY",
        sources: [{ value: "docker/uwsgi.ini", range: r(22, 7, 22, 25) }],
        destination: { value: "/etc/uwsgi/", range: r(22, 27, 22, 40) },
        destinationAbs: "/etc/uwsgi/",
        range: r(22, 1, 22, 41),
      },
    ]);
  });

  it("reads VOLUME, EXPOSE and USER", () => {
    expect(runtime!.volumes).toEqual([
      { value: "/home/app/web/staticfiles", range: r(24, 9, 24, 36) },
      { value: "/home/app/web/mediafiles", range: r(24, 38, 24, 64) },
    ]);
    expect(runtime!.expose).toEqual([{ value: "8000", range: r(25, 8, 25, 12) }]);
    expect(runtime!.user).toEqual({ value: "django", range: r(26, 6, 26, 17) });
  });

  it("reads ENTRYPOINT (exec) and CMD (shell, continued past a comment line)", () => {
    expect(runtime!.entrypoint).toEqual({
      form: "exec",
      argv: [{ value: "/home/app/web/docker/entrypoint.sh", range: r(27, 13, 27, 49) }],
      text: "/home/app/web/docker/entrypoint.sh",
      range: r(27, 1, 27, 50),
    });
    expect(runtime!.cmd).toEqual({
      form: "shell",
      argv: [
        { value: "uwsgi", range: r(28, 5, 28, 10) },
        { value: "--ini", range: r(28, 11, 28, 16) },
        { value: "/etc/uwsgi/uwsgi.ini", range: r(28, 17, 28, 37) },
        { value: "--socket", range: r(30, 5, 30, 13) },
        { value: "/tmp/uwsgi/app.sock", range: r(30, 14, 30, 33) },
      ],
      text: "uwsgi --ini /etc/uwsgi/uwsgi.ini     --socket /tmp/uwsgi/app.sock",
      range: r(28, 1, 30, 33),
    });
  });

  it("takes build args over defaults", () => {
    const withArgs = parse(text, new Map([["PYTHON_VERSION", "3.11"], ["DJANGO_SETTINGS_MODULE", "config.settings.staging"], ["APP_USER", "web"]]));
    expect(withArgs.stages.map((s) => s.baseImage.value)).toEqual(["python:3.11-slim", "python:3.11-slim"]);
    const rt = withArgs.stages[1]!;
    expect(rt.env.get("DJANGO_SETTINGS_MODULE")).toEqual({ name: "DJANGO_SETTINGS_MODULE", value: "config.settings.staging", range: r(18, 5, 18, 75) });
    expect(rt.args.get("APP_USER")).toEqual({ name: "APP_USER", defaultValue: "django", value: "web", range: r(14, 5, 14, 20) });
    expect(rt.user?.value).toBe("web");
    expect(rt.copies[1]!.chown).toBe("web:web");
  });
});

describe("parseDockerfile: syntax variants", () => {
  it("reads legacy `ENV NAME value` and quoted values", () => {
    const s = only("FROM a\nENV LEGACY some value here\nENV Q=\"two words\" S='$NOT' E= B=a\\ b\n");
    expect([...s.env.values()]).toEqual([
      { name: "LEGACY", value: "some value here", range: r(2, 5, 2, 27) },
      { name: "Q", value: "two words", range: r(3, 5, 3, 18) },
      { name: "S", value: "$NOT", range: r(3, 19, 3, 27) },
      { name: "E", value: "", range: r(3, 28, 3, 30) },
      { name: "B", value: "a b", range: r(3, 31, 3, 37) },
    ]);
  });

  it("substitutes with the values from before the same ENV instruction", () => {
    const s = only("FROM a\nENV X=1\nENV X=2 Y=$X Z=${X}0\nENV W=${X}\n");
    expect(s.env.get("Y")?.value).toBe("1");
    expect(s.env.get("Z")?.value).toBe("10");
    expect(s.env.get("W")?.value).toBe("2");
    expect([...s.env.keys()]).toEqual(["X", "Y", "Z", "W"]);
  });

  it("implements ${VAR:-x}, ${VAR-x}, ${VAR:+x} and ${VAR+x}", () => {
    const s = only(
      "FROM a\nARG EMPTY=\nARG SET=v\nARG NONE\n" +
        "ENV A=${EMPTY:-d} B=${EMPTY-d} C=${SET:+alt} D=${EMPTY:+alt} E=${NONE:-fallback} F=${NONE:+x} G=${SET:-${NONE}} H=$$ I=$1\n",
    );
    const v = (n: string) => [s.env.get(n)?.value, s.env.get(n)?.unresolved];
    expect(v("A")).toEqual(["d", undefined]);
    expect(v("B")).toEqual(["", undefined]);
    expect(v("C")).toEqual(["alt", undefined]);
    expect(v("D")).toEqual(["", undefined]);
    expect(v("E")).toEqual(["fallback", ["NONE"]]);
    expect(v("F")).toEqual(["${NONE:+x}", ["NONE"]]);
    expect(v("G")).toEqual(["v", undefined]);
    expect(v("H")).toEqual(["$$", undefined]);
    expect(v("I")).toEqual(["$1", undefined]);
  });

  it("scopes global ARGs to FROM and to stages that redeclare them", () => {
    const d = parse("ARG V=1 W\nFROM img:$V\nENV A=$V\nARG V\nENV B=$V C=$W\n");
    expect(d.problems).toEqual([]);
    const s = d.stages[0]!;
    expect(s.baseImage).toEqual({ value: "img:1", range: r(2, 6, 2, 12) });
    expect(s.env.get("A")).toEqual({ name: "A", value: "$V", range: r(3, 5, 3, 9), unresolved: ["V"] });
    expect(s.env.get("B")?.value).toBe("1");
    expect(s.env.get("C")).toEqual({ name: "C", value: "$W", range: r(5, 10, 5, 14), unresolved: ["W"] });
    expect(s.args.get("V")).toEqual({ name: "V", value: "1", range: r(4, 5, 4, 6) });
  });

  it("keeps ENV over ARG of the same name", () => {
    const s = only("FROM a\nENV P=env\nARG P=arg\nWORKDIR /$P\n");
    expect(s.finalWorkdir).toBe("/env");
  });

  it("resolves relative WORKDIRs and COPY destinations", () => {
    const s = only("FROM a\nCOPY x y\nWORKDIR app\nWORKDIR src/\nCOPY a b ./\nWORKDIR ../static\nCOPY c sub/dir/\nCOPY d /abs//x/../y\nCOPY requirements.txt .\nCOPY e sub/.\n");
    expect(s.workdirs.map((w) => w.path)).toEqual(["/app", "/app/src", "/app/static"]);
    expect(s.copies.map((c) => [c.sources.map((x) => x.value), c.destination.value, c.destinationAbs])).toEqual([
      [["x"], "y", "/y"],
      [["a", "b"], "./", "/app/src/"],
      [["c"], "sub/dir/", "/app/static/sub/dir/"],
      [["d"], "/abs//x/../y", "/abs/y"],
      [["requirements.txt"], ".", "/app/static/"],
      [["e"], "sub/.", "/app/static/sub/"],
    ]);
  });

  it("inherits ENV and WORKDIR from a base stage", () => {
    const d = parse("FROM python AS Base\nENV A=1\nWORKDIR /srv\nFROM base AS final\nENV B=$A\n");
    expect(d.problems).toEqual([]);
    const final = d.stages[1]!;
    expect(final.baseStage).toBe(0);
    expect(final.finalWorkdir).toBe("/srv");
    expect(final.workdirs).toEqual([]);
    expect([...final.env.values()]).toEqual([
      { name: "A", value: "1", range: r(2, 5, 2, 8) },
      { name: "B", value: "1", range: r(5, 5, 5, 9) },
    ]);
    expect(d.stages[0]!.env.has("B")).toBe(false);
  });

  it("reads COPY/ADD flags and JSON form with spaces", () => {
    const s = only('FROM a\nADD --chown=1000:1000 --chmod=755 ["my file.txt", "b c/"]\nCOPY --link --from=build /out /srv/\n');
    expect(s.copies).toEqual([
      {
        instruction: "ADD",
        sources: [{ value: "my file.txt", range: r(2, 36, 2, 49) }],
        destination: { value: "b c/", range: r(2, 51, 2, 57) },
        destinationAbs: "/b c/",
        chown: "1000:1000",
        chmod: "755",
        range: r(2, 1, 2, 58),
      },
      {
        instruction: "COPY",
        sources: [{ value: "/out", range: r(3, 26, 3, 30) }],
        destination: { value: "/srv/", range: r(3, 31, 3, 36) },
        destinationAbs: "/srv/",
        fromStage: "build",
        range: r(3, 1, 3, 36),
      },
    ]);
  });

  it("splits a shell-form command into shell words with ranges", () => {
    const s = only(`FROM a\nCMD gunicorn "app.wsgi:application" --bind='0.0.0.0:8000' a\\ b\n`);
    expect(s.cmd?.argv).toEqual([
      { value: "gunicorn", range: r(2, 5, 2, 13) },
      { value: "app.wsgi:application", range: r(2, 14, 2, 36) },
      { value: "--bind=0.0.0.0:8000", range: r(2, 37, 2, 58) },
      { value: "a b", range: r(2, 59, 2, 63) },
    ]);
    expect(s.cmd?.text).toBe(`gunicorn "app.wsgi:application" --bind='0.0.0.0:8000' a\\ b`);
  });

  it("splits shell operators and keeps $VARs unresolved (the shell expands them at run time)", () => {
    const s = only("FROM a\nENV PORT=8000\nCMD python manage.py migrate&&exec gunicorn -b 0.0.0.0:$PORT app.wsgi\n");
    expect(s.cmd?.argv.map((w) => w.value)).toEqual(["python", "manage.py", "migrate", "&&", "exec", "gunicorn", "-b", "0.0.0.0:$PORT", "app.wsgi"]);
    expect(s.cmd?.argv[3]).toEqual({ value: "&&", range: r(3, 29, 3, 31) });
    expect(s.cmd?.argv[7]).toEqual({ value: "0.0.0.0:$PORT", range: r(3, 48, 3, 61), unresolved: ["PORT"] });
  });

  it("locates shell words across a backtick-escaped continuation", () => {
    const s = only("# escape=`\nFROM a\nCMD uwsgi `\n  # comment`\n  --ini 'x y.ini'\n");
    expect(s.cmd).toEqual({
      form: "shell",
      argv: [
        { value: "uwsgi", range: r(3, 5, 3, 10) },
        { value: "--ini", range: r(5, 3, 5, 8) },
        { value: "x y.ini", range: r(5, 9, 5, 18) },
      ],
      text: "uwsgi   --ini 'x y.ini'",
      range: r(3, 1, 5, 18),
    });
  });

  it("keeps the last CMD and ENTRYPOINT of a stage", () => {
    const s = only('FROM a\nCMD ["one"]\nENTRYPOINT ["e1"]\nCMD ["two", "x"]\nENTRYPOINT e2\n');
    expect(s.cmd).toEqual({
      form: "exec",
      argv: [
        { value: "two", range: r(4, 6, 4, 11) },
        { value: "x", range: r(4, 13, 4, 16) },
      ],
      text: "two x",
      range: r(4, 1, 4, 17),
    });
    expect(s.entrypoint?.form).toBe("shell");
    expect(s.entrypoint?.argv.map((a) => a.value)).toEqual(["e2"]);
  });

  it("reads an exec form split over continuation lines, with JSON escapes", () => {
    const s = only('FROM a\nCMD ["uwsgi", \\\n     "--ini", "a\\\\b \\"q\\""]\n');
    expect(s.cmd?.argv).toEqual([
      { value: "uwsgi", range: r(2, 6, 2, 13) },
      { value: "--ini", range: r(3, 6, 3, 13) },
      { value: 'a\\b "q"', range: r(3, 15, 3, 27) },
    ]);
  });

  it("honours the escape directive (backtick)", () => {
    const s = only("# escape=`\nFROM mcr.microsoft.com/windows\nENV P=C:\\app A=x` y\nWORKDIR C:\\app `\n  \\sub\nRUN dir `\n  /b\n");
    expect(s.env.get("P")?.value).toBe("C:\\app");
    expect(s.env.get("A")?.value).toBe("x y");
    expect(s.runs[0]!.text).toBe("dir   /b");
    expect(s.runs[0]!.range).toEqual(r(6, 1, 7, 5));
  });

  it("keeps a heredoc RUN as written and does not choke on COPY heredocs", () => {
    const s = only("FROM a\nRUN <<EOF bash\nset -e\necho \"$HOME\" \\\nEOF\nCOPY <<-CONF /etc/app.conf\n\tkey=1\n\tCONF\nUSER app\n");
    expect(s.runs).toEqual([{ text: '<<EOF bash\nset -e\necho "$HOME" \\\nEOF', range: r(2, 1, 5, 4) }]);
    expect(s.copies.map((c) => [c.sources.map((x) => x.value), c.destinationAbs, c.range])).toEqual([
      [["<<-CONF"], "/etc/app.conf", r(6, 1, 8, 6)],
    ]);
    expect(s.user?.value).toBe("app");
  });

  it("accepts lowercase instructions, CRLF and a syntax directive", () => {
    const s = only("# syntax=docker/dockerfile:1\r\nfrom python:3 as web\r\nenv A=1 \\\r\n  B=2\r\nworkdir /srv\r\n");
    expect(s.name).toBe("web");
    expect(s.env.get("B")).toEqual({ name: "B", value: "2", range: r(4, 3, 4, 6) });
    expect(s.finalWorkdir).toBe("/srv");
  });

  it("counts columns in UTF-16 code units", () => {
    const s = only("FROM a\nENV 😀X=1 Y=ż\n");
    expect(s.env.get("Y")).toEqual({ name: "Y", value: "ż", range: r(2, 11, 2, 14) });
  });
});

describe("parseDockerfile: bad input", () => {
  it("reports unknown instructions and keeps going", () => {
    const d = parse("FROM a\nFROOM b\nthis is junk\nENV A=1\n");
    expect(d.problems).toEqual([
      { range: r(2, 1, 2, 6), message: 'unknown instruction "FROOM"' },
      { range: r(3, 1, 3, 5), message: 'unknown instruction "this"' },
    ]);
    expect(d.stages[0]!.env.get("A")?.value).toBe("1");
  });

  it("reports instructions before FROM, a missing FROM image and empty instructions", () => {
    const d = parse("ENV A=1\nFROM\nRUN x\nFROM b\nWORKDIR\nCMD\nCOPY onlyone\nENV NOVALUE\n");
    expect(d.problems).toEqual([
      { range: r(1, 1, 1, 4), message: "ENV before the first FROM" },
      { range: r(2, 1, 2, 5), message: "FROM has no image" },
      { range: r(5, 1, 5, 8), message: "WORKDIR has no arguments" },
      { range: r(6, 1, 6, 4), message: "CMD has no arguments" },
      { range: r(7, 1, 7, 13), message: "COPY needs at least one source and a destination" },
      { range: r(8, 5, 8, 12), message: "ENV NOVALUE has no value" },
    ]);
    expect(d.stages.map((s) => s.baseImage.value)).toEqual(["b"]);
  });

  it("reports a file without FROM", () => {
    for (const text of ["", "# just a comment\n", "ARG X=1\n"]) {
      expect(parse(text)).toEqual({ file: F, stages: [], problems: [{ range: r(1, 1, 1, 1), message: "no FROM instruction: not a buildable Dockerfile" }] });
    }
  });

  it("reports exec forms that are not JSON (Docker runs them through sh -c)", () => {
    const d = parse("FROM a\nCMD [\"python\", manage.py]\nENTRYPOINT ['gunicorn']\n");
    expect(d.problems).toEqual([
      { range: r(2, 5, 2, 26), message: "CMD looks like exec form but is not a JSON array of strings; Docker runs it with /bin/sh -c" },
      { range: r(3, 12, 3, 24), message: "ENTRYPOINT looks like exec form but is not a JSON array of strings; Docker runs it with /bin/sh -c" },
    ]);
    expect(d.stages[0]!.cmd?.form).toBe("shell");
    expect(d.stages[0]!.entrypoint?.argv.map((a) => a.value)).toEqual(["[gunicorn]"]);
  });

  it("reports unterminated quotes and heredocs", () => {
    const d = parse('FROM a\nENV A="open\nCMD echo "x\nRUN <<EOF\necho never closed\n');
    expect(d.problems).toEqual([
      { range: r(2, 7, 2, 12), message: 'ENV A: unterminated " quote' },
      { range: r(3, 10, 3, 12), message: "CMD: unterminated double quote: the word runs to the end of the text" },
      { range: r(4, 5, 4, 10), message: 'heredoc <<EOF is not terminated by a line "EOF"' },
    ]);
    expect(d.stages[0]!.env.get("A")?.value).toBe("open");
  });

  it("reports an invalid escape directive", () => {
    const d = parse("# escape=x\nFROM a\n");
    expect(d.problems).toEqual([{ range: r(1, 10, 1, 11), message: "invalid escape directive \"x\": must be \\ or `" }]);
  });

  it("never throws on random bytes", () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = "FROM ENV RUN COPY ARG WORKDIR CMD [\"]'`\\$ {}:=-+?\n\r\t#<<EOF\u0000\u00ff😀ab/.";
    for (let n = 0; n < 300; n++) {
      let s = "";
      const len = Math.floor(rnd() * 200);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const d = parseDockerfile(s, F);
      for (const p of d.problems) {
        expect(p.range.line).toBeGreaterThanOrEqual(1);
        expect(p.range.column).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
