// Optimises WebAssembly modules for size (`wasm-opt -Oz` with the features the Rust toolchain
// emits) in one Node process. The npm `wasm-opt` command loads binaryen anew for every file (about
// two seconds each), and a split build has hundreds of small chunks: loading it once per worker
// took the site build from minutes to seconds of start-up.
//
// Usage: node optimize.mjs FILE...   (each file is rewritten in place)
import { readFileSync, writeFileSync } from 'node:fs';

import binaryen from 'binaryen';

const F = binaryen.Features;
// Mirrors xtask/src/wasm_opt.rs's FEATURES (`--enable-bulk-memory` implies the -opt half and
// `--enable-reference-types` the overlong call_indirect encoding in the CLI).
const FEATURES = F.ReferenceTypes | F.CallIndirectOverlong | F.BulkMemory | F.BulkMemoryOpt
  | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.Multivalue;

binaryen.setOptimizeLevel(2); // -Oz: optimise level 2, shrink level 2
binaryen.setShrinkLevel(2);
binaryen.setDebugInfo(false);

for (const file of process.argv.slice(2)) {
  const module = binaryen.readBinary(readFileSync(file), FEATURES);
  try {
    module.optimize();
    if (!module.validate()) throw new Error('the optimised module does not validate');
    writeFileSync(file, module.emitBinary());
  } catch (e) {
    console.error(`wasm-opt (binaryen.js) failed on ${file}: ${e.message ?? e}`);
    process.exit(1);
  } finally {
    module.dispose();
  }
}
