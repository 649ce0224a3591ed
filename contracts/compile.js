// Compiles every contracts/src/**/*.sol with solc (the npm package: soljson, no download) and
// writes build/<Contract>.abi.json and, for contracts with code (not interfaces or libraries
// without code), build/<Contract>.bin (deployment bytecode, hex). Sources are keyed by their
// path under src/ (`interfaces/IBackstop.sol`), so `import "./interfaces/IBackstop.sol";`
// resolves. Run with `npm run build` (scripts/setup installs the package).
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const srcDir = path.join(__dirname, "src");
const outDir = path.join(__dirname, "build");
fs.mkdirSync(outDir, { recursive: true });

// Every .sol file under `dir`, as paths relative to src/ with forward slashes, sorted.
function solFiles(dir, prefix = "") {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) files.push(...solFiles(path.join(dir, entry.name), rel + "/"));
    else if (entry.name.endsWith(".sol")) files.push(rel);
  }
  return files.sort();
}

const sources = {};
for (const file of solFiles(srcDir)) {
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
    fs.writeFileSync(path.join(outDir, `${name}.abi.json`), JSON.stringify(contract.abi, null, 2) + "\n");
    if (contract.evm.bytecode.object.length === 0) {
      console.log(`compiled ${file}:${name} (interface, ABI only)`);
      continue;
    }
    fs.writeFileSync(path.join(outDir, `${name}.bin`), contract.evm.bytecode.object + "\n");
    console.log(`compiled ${file}:${name} (${contract.evm.bytecode.object.length / 2} bytes)`);
  }
}
console.log(`solc ${solc.version()}`);
