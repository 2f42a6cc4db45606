import { main } from '../../../src/cli/main.js';

// The CLI as its own process (under tsx), for tests that kill it midway.
process.exitCode = await main(process.argv);
