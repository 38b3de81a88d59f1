// Whether the build context keeps a path, by .dockerignore's rules: patterns are anchored at
// the context root, `**` spans folders, a later `!pattern` re-includes, and excluding a folder
// excludes everything in it.
import { existsSync, readFileSync } from 'node:fs';

function toRegExp(pattern) {
  const body = pattern
    .replace(/^\/+|\/+$/g, '')
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' }[part]
      ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export function loadDockerignore(root) {
  const file = `${root}/.dockerignore`;
  const rules = existsSync(file)
    ? readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
      .map((l) => (l.startsWith('!') ? { keep: true, re: toRegExp(l.slice(1)) } : { keep: false, re: toRegExp(l) }))
    : [];
  return function excluded(path) {
    const parts = path.replace(/^\.?\/+/, '').replace(/\/+$/, '').split('/');
    let out = false;
    for (let i = 1; i <= parts.length; i += 1) {
      const prefix = parts.slice(0, i).join('/');
      for (const rule of rules) if (rule.re.test(prefix)) out = !rule.keep;
      if (out) return true;
    }
    return out;
  };
}
