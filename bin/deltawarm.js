#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// The AWS SDK warns on every run under Node 20 about its releases from 2027 on; the version
// deltawarm locks supports Node 20, so the warning is noise in CI logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await main(process.argv);
