// Loads Terraform configuration with HashiCorp's own HCL parser (compiled to WebAssembly in
// @cdktf/hcl2json) and indexes it per module directory, the unit Terraform itself works in.
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { walk } from './repo.mjs';

function merge(into, blocks) {
  for (const [name, value] of Object.entries(blocks ?? {})) into[name] = value;
}

// { dir: { files, variables, outputs, modules, resources, data, locals, terraform, providers } }
export async function loadModules(root, fail) {
  const modules = {};
  for (const file of walk(`${root}/terraform`, (name) => name.endsWith('.tf'))) {
    const dir = relative(root, dirname(file));
    const module = modules[dir] ??= {
      dir, files: [], variables: {}, outputs: {}, modules: {}, resources: {}, data: {}, locals: {}, terraform: [], providers: {},
    };
    let json;
    try {
      json = await parse(file, readFileSync(file, 'utf8'));
    } catch (error) {
      fail(relative(root, file), `does not parse: ${error.message}`);
      continue;
    }
    module.files.push({ path: relative(root, file), json });
    merge(module.variables, json.variable);
    merge(module.outputs, json.output);
    merge(module.modules, json.module);
    merge(module.providers, json.provider);
    for (const [type, byName] of Object.entries(json.resource ?? {})) merge(module.resources[type] ??= {}, byName);
    for (const [type, byName] of Object.entries(json.data ?? {})) merge(module.data[type] ??= {}, byName);
    for (const block of json.locals ?? []) merge(module.locals, block);
    module.terraform.push(...(json.terraform ?? []));
  }
  return modules;
}

// `name` tells the parser the syntax (a .tfvars name for an example file); `path` is read.
export async function parseFile(name, path = name) {
  return parse(name, readFileSync(path, 'utf8'));
}

// Every name an expression in `value` refers to with `prefix.` (var, local, module …).
export function references(value, prefix) {
  const text = JSON.stringify(value);
  return [...text.matchAll(new RegExp(`(?<![\\w.])${prefix}\\.([A-Za-z_][\\w-]*)(?:\\.([A-Za-z_][\\w-]*))?`, 'g'))]
    .map((m) => ({ name: m[1], attribute: m[2] }));
}

// All resource instances of a module as [type, name, attributes].
export function resourcesOf(module) {
  return Object.entries(module.resources).flatMap(([type, byName]) =>
    Object.entries(byName).flatMap(([name, bodies]) => bodies.map((body) => [type, name, body])));
}
