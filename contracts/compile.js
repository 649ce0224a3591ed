// Compiles every contracts/src/*.sol with solc (the npm package: soljson, no download) and
// writes build/<Contract>.bin (deployment bytecode, hex) and build/<Contract>.abi.json.
// Run with `npm run build` (scripts/setup installs the package).
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const srcDir = path.join(__dirname, "src");
const outDir = path.join(__dirname, "build");
fs.mkdirSync(outDir, { recursive: true });

const sources = {};
for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith(".sol")).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(srcDir, file), "utf8") };
}

const input = {
  language: "Solidity",
  sources,
  settings: {
    // Paris: no PUSH0/MCOPY surprises for EVM interpreters that lag the latest fork.
    evmVersion: "paris",
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === "error");
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, contract] of Object.entries(contracts)) {
    fs.writeFileSync(path.join(outDir, `${name}.bin`), contract.evm.bytecode.object + "\n");
    fs.writeFileSync(path.join(outDir, `${name}.abi.json`), JSON.stringify(contract.abi, null, 2) + "\n");
    console.log(`compiled ${file}:${name} (${contract.evm.bytecode.object.length / 2} bytes)`);
  }
}
console.log(`solc ${solc.version()}`);
