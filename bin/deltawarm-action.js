#!/usr/bin/env node
import { runAction } from '../dist/action/main.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await runAction({ env: process.env, cwd: process.cwd(), stdout: (text) => void process.stdout.write(text) });
