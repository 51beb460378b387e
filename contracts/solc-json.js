#!/usr/bin/env node
// The Solidity compiler behind `minichain contract compile`: solc-js 0.8.11 (pinned in
// package-lock.json; the compiler itself is soljson.js, so nothing is fetched at compile time).
// It speaks the compiler's own "standard JSON" interface (docs.soliditylang.org, "Compiler
// Input and Output JSON Description"), one request per line on stdin, one answer per line on
// stdout, so Python can keep one warm process for many compilations:
//   request:  {"input": <standard-JSON input>, "base": "/dir/imports/may/come/from"}
//   answer:   {"version": "0.8.11+commit...", "output": <standard-JSON output>}
// The `solcjs` command-line tool has no --evm-version; standard JSON does (settings.evmVersion).
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const solc = require('solc');

const MAX_IMPORT_BYTES = 1 << 20; // an imported file larger than 1 MiB is refused

// Imports are read from the compiled file's own directory tree and nowhere else.
function importReader(base) {
  const root = path.resolve(base);
  return function findImports(name) {
    const full = path.resolve(root, name);
    if (full !== root && !full.startsWith(root + path.sep)) {
      return { error: `import ${name} is outside ${root}` };
    }
    try {
      const size = fs.statSync(full).size;
      if (size > MAX_IMPORT_BYTES) {
        return { error: `import ${name} is ${size} bytes, more than ${MAX_IMPORT_BYTES}` };
      }
      return { contents: fs.readFileSync(full, 'utf8') };
    } catch (err) {
      return { error: `import ${name} not found under ${root}` };
    }
  };
}

function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    return { error: `request is not JSON: ${err.message}` };
  }
  const base = typeof request.base === 'string' ? request.base : process.cwd();
  const output = solc.compile(JSON.stringify(request.input), { import: importReader(base) });
  return { version: solc.version(), output: JSON.parse(output) };
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  process.stdout.write(JSON.stringify(answer(line)) + '\n');
});
