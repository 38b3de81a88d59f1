// Where the files under check live. Every check takes `--root DIR` so the negative test can
// point it at a broken copy of the repository instead of the real one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function repoRoot(argv = process.argv.slice(2)) {
  const at = argv.indexOf('--root');
  return at >= 0 ? resolve(argv[at + 1]) : resolve(here, '..', '..', '..');
}

export function overlayNames(root) {
  const dir = join(root, 'deploy', 'k8s', 'overlays');
  return readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory()).sort();
}

export function overlayDir(root, name) {
  return join(root, 'deploy', 'k8s', 'overlays', name);
}

export function isDir(path) {
  return existsSync(path) && statSync(path).isDirectory();
}

// Every file below `dir` whose name passes `keep`, skipping folders that tools create.
export function walk(dir, keep) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.terraform', '.git'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(path, keep));
    else if (keep(entry.name)) found.push(path);
  }
  return found.sort();
}
