// Compiles a Solidity standard-JSON input file with the pinned solcjs and prints the standard-JSON output.
// (solcjs --standard-json reads stdin in a way that fails on pipes, hence this small driver.)
const fs = require("fs");
const solc = require("solc");
process.stdout.write(solc.compile(fs.readFileSync(process.argv[2], "utf8")));
