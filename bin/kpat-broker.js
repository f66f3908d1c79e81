#!/usr/bin/env node
// The broker process `kpat up` starts: takes `kpat broker start`'s flags, loads no CLI framework.
await import('../dist/src/stack/broker-main.js');
