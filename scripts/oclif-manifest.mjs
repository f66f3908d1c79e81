// Writes oclif.manifest.json after a build, so the CLI reads every command's
// flags and help from one file and imports only the command that runs
// (without it oclif imports all of them, Ink included, on every start).
import {writeFileSync} from 'node:fs';
import {Plugin} from '@oclif/core';

const plugin = new Plugin({root: process.cwd(), type: 'core', ignoreManifest: true, errorOnManifestCreate: true});
await plugin.load();
writeFileSync('oclif.manifest.json', JSON.stringify(plugin.manifest, null, 2) + '\n');
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
