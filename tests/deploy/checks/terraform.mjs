// Terraform cannot run here (no provider downloads), so check what `terraform validate` and a
// reviewer would: every file parses; every module source exists and gets exactly the variables
// it declares; every var, local and module output used is declared; databases and caches are
// private, encrypted at rest and in transit, and backed up; no secret sits in a variables file.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadModules, parseFile, references, resourcesOf } from '../lib/terraform.mjs';
import { isDir, repoRoot, walk } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';

const root = repoRoot();
const report = createReport('terraform');
const metaArguments = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);
const clouds = {
  aws: { provider: 'aws', version: /^~>\s*5(\.|$)/ },
  azure: { provider: 'azurerm', version: /^~>\s*3(\.|$)/ },
  gcp: { provider: 'google', version: /^~>\s*5(\.|$)/ },
};
const secretName = /password|secret|token|credential|private_key|access_key|(postgres|redis|database|db|cache|connection)_url$/i;
const credentialsInUrl = /:\/\/[^/@\s:]*:[^/@\s]+@/;

function at(value, path) {
  return path.split('.').reduce((v, key) => (v === undefined ? undefined : v[/^\d+$/.test(key) ? Number(key) : key]), value);
}

// A setting that is an expression cannot be judged here; a literal that disables it can.
function setAndNotOff(value) {
  return value !== undefined && value !== 0 && value !== false && value !== '0';
}

// What each kind of database or cache must say about exposure, encryption and backups. The
// module around it is passed for rules that live in a neighbouring resource.
const dataStoreRules = {
  aws_db_instance: {
    family: 'postgres',
    rules: [
      ['publicly_accessible is false', (a) => a.publicly_accessible === false],
      ['storage_encrypted is true', (a) => a.storage_encrypted === true],
      ['backup_retention_period is set', (a) => setAndNotOff(a.backup_retention_period)],
      ['a parameter group sets rds.force_ssl = 1', (a, m) => Object.values(m.resources.aws_db_parameter_group ?? {}).flat()
        .some((g) => (g.parameter ?? []).some((p) => p.name === 'rds.force_ssl' && String(p.value) === '1'))],
    ],
  },
  aws_elasticache_replication_group: {
    family: 'redis',
    rules: [
      ['at_rest_encryption_enabled is true', (a) => a.at_rest_encryption_enabled === true],
      ['transit_encryption_enabled is true', (a) => a.transit_encryption_enabled === true],
      ['snapshot_retention_limit is set', (a) => setAndNotOff(a.snapshot_retention_limit)],
    ],
  },
  // Flexible Server always encrypts its storage; there is nothing to switch off.
  azurerm_postgresql_flexible_server: {
    family: 'postgres',
    rules: [
      ['public_network_access_enabled is false', (a) => a.public_network_access_enabled === false],
      ['delegated_subnet_id puts it in the virtual network', (a) => a.delegated_subnet_id !== undefined],
      ['backup_retention_days is set', (a) => setAndNotOff(a.backup_retention_days)],
      ['require_secure_transport is on', (a, m) => Object.values(m.resources.azurerm_postgresql_flexible_server_configuration ?? {}).flat()
        .some((c) => c.name === 'require_secure_transport' && String(c.value).toLowerCase() === 'on')],
    ],
  },
  azurerm_redis_cache: {
    family: 'redis',
    rules: [
      ['public_network_access_enabled is false', (a) => a.public_network_access_enabled === false],
      ['the non-TLS port is disabled', (a) => (a.enable_non_ssl_port ?? a.non_ssl_port_enabled) === false],
      ['minimum_tls_version is 1.2', (a) => a.minimum_tls_version === '1.2'],
      ['RDB backups are enabled', (a) => at(a, 'redis_configuration.0.rdb_backup_enabled') === true],
    ],
  },
  // Cloud SQL encrypts its disks and backups always.
  google_sql_database_instance: {
    family: 'postgres',
    rules: [
      ['has no public IP (ipv4_enabled = false)', (a) => at(a, 'settings.0.ip_configuration.0.ipv4_enabled') === false],
      ['is on a private network', (a) => at(a, 'settings.0.ip_configuration.0.private_network') !== undefined],
      ['ssl_mode refuses unencrypted connections', (a) => ['ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED'].includes(at(a, 'settings.0.ip_configuration.0.ssl_mode'))],
      ['backups are enabled', (a) => at(a, 'settings.0.backup_configuration.0.enabled') === true],
    ],
  },
  google_redis_instance: {
    family: 'redis',
    rules: [
      ['connects through private service access', (a) => a.connect_mode === 'PRIVATE_SERVICE_ACCESS'],
      ['transit_encryption_mode is SERVER_AUTHENTICATION', (a) => a.transit_encryption_mode === 'SERVER_AUTHENTICATION'],
      ['auth_enabled is true', (a) => a.auth_enabled === true],
      ['RDB persistence is on', (a) => at(a, 'persistence_config.0.persistence_mode') === 'RDB'],
    ],
  },
};
// Resources that belong to a database or cache without being one.
const dataStoreParts = new Set([
  'aws_db_subnet_group', 'aws_db_parameter_group', 'aws_elasticache_subnet_group', 'aws_elasticache_parameter_group',
  'azurerm_postgresql_flexible_server_configuration', 'azurerm_postgresql_flexible_server_database',
  'google_sql_database', 'google_sql_user',
]);
const looksLikeDataStore = /^(aws_(db_|rds_|elasticache_|memorydb_|docdb_)|azurerm_(postgresql|mysql|mssql|redis|cosmosdb)|google_(sql_|redis_|alloydb_|memcache_))/;
const openToAll = /(^|[^\d.])(0\.0\.0\.0(\/0)?|::\/0)($|[^\d.])/;

function strings(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

// A variable's own validation block does not count as a use of it.
function withoutVariables(file) {
  return Object.fromEntries(Object.entries(file.json).filter(([block]) => block !== 'variable'));
}

function checkReferences(modules, module) {
  const used = module.files.flatMap((f) => references(withoutVariables(f), 'var').map((r) => r.name));
  const usedInValidations = Object.entries(module.variables).flatMap(([, bodies]) => references(bodies, 'var').map((r) => r.name));
  for (const name of new Set([...used, ...usedInValidations])) {
    if (!module.variables[name]) report.fail(module.dir, `var.${name} is used but not declared`);
  }
  for (const name of Object.keys(module.variables)) {
    if (!used.includes(name)) report.fail(module.dir, `variable "${name}" is declared but never used`);
  }
  const localsUsed = module.files.flatMap((f) => references(f.json, 'local').map((r) => r.name));
  for (const name of new Set(localsUsed)) if (!(name in module.locals)) report.fail(module.dir, `local.${name} is used but not defined`);
  for (const name of Object.keys(module.locals)) if (!localsUsed.includes(name)) report.fail(module.dir, `local "${name}" is never used`);
  for (const file of module.files) {
    for (const { name, attribute } of references(file.json, 'data')) {
      if (attribute && !module.data[name]?.[attribute]) report.fail(file.path, `data.${name}.${attribute} is not declared`);
    }
    for (const { name, attribute } of references(file.json, 'module')) {
      const call = module.modules[name]?.[0];
      if (!call) report.fail(file.path, `module.${name} is not declared`);
      else if (attribute && !modules[calleeDir(module, call)]?.outputs[attribute]) {
        report.fail(file.path, `module.${name}.${attribute}: ${call.source} has no such output`);
      }
    }
  }
}

function calleeDir(module, call) {
  return relative(root, resolve(root, module.dir, call.source));
}

function checkModuleCalls(modules, module) {
  for (const [name, [call]] of Object.entries(module.modules)) {
    const where = `${module.dir} module "${name}"`;
    if (!/^\.\.?\//.test(call.source)) {
      if (!call.version) report.fail(where, `registry source ${call.source} has no pinned version`);
      continue;
    }
    const callee = modules[calleeDir(module, call)];
    if (!isDir(join(root, calleeDir(module, call))) || !callee) {
      report.fail(where, `source ${call.source} does not exist or holds no .tf files`);
      continue;
    }
    const passed = Object.keys(call).filter((k) => !metaArguments.has(k));
    for (const argument of passed) {
      if (!callee.variables[argument]) report.fail(where, `passes "${argument}", which ${callee.dir} does not declare`);
    }
    for (const [variable, [body]] of Object.entries(callee.variables)) {
      if (!('default' in body) && !passed.includes(variable)) report.fail(where, `does not pass required variable "${variable}"`);
    }
  }
}

function sensitiveOutputs(module) {
  return new Set(Object.entries(module.outputs).filter(([, [body]]) => body.sensitive === true).map(([name]) => name));
}

function checkSecrets(modules, module) {
  for (const [name, [body]] of Object.entries(module.variables)) {
    if (!secretName.test(name)) continue;
    if (body.sensitive !== true) report.fail(module.dir, `variable "${name}" carries a secret but is not sensitive`);
    if ('default' in body) report.fail(module.dir, `variable "${name}" carries a secret but has a default`);
  }
  const sensitiveVariables = new Set(Object.entries(module.variables).filter(([, [b]]) => b.sensitive === true).map(([n]) => n));
  for (const [name, [body]] of Object.entries(module.outputs)) {
    const fromPassword = /random_(password|bytes)\./.test(JSON.stringify(body.value));
    const fromVariable = references(body.value, 'var').some((r) => sensitiveVariables.has(r.name));
    const fromModule = references(body.value, 'module').some((r) => {
      const call = module.modules[r.name]?.[0];
      return call && sensitiveOutputs(modules[calleeDir(module, call)] ?? { outputs: {} }).has(r.attribute);
    });
    if ((fromPassword || fromVariable || fromModule) && body.sensitive !== true) {
      report.fail(module.dir, `output "${name}" carries a secret but is not sensitive`);
    }
  }
}

function checkDataStores(module) {
  const resources = resourcesOf(module);
  const stores = resources.filter(([type]) => dataStoreRules[type]);
  for (const [type, name, attributes] of resources) {
    const where = `${module.dir} ${type}.${name}`;
    if (dataStoreRules[type]) {
      for (const [rule, holds] of dataStoreRules[type].rules) if (!holds(attributes, module)) report.fail(where, `must hold: ${rule}`);
    } else if (looksLikeDataStore.test(type) && !dataStoreParts.has(type)) {
      report.fail(where, 'is a database or cache resource no rule in tests/deploy/checks/terraform.mjs covers');
    }
  }
  if (stores.length === 0) return;
  // A module that holds a database or cache opens nothing to the whole internet.
  for (const [type, name, attributes] of resources) {
    if (strings(attributes).some((s) => openToAll.test(s))) {
      report.fail(`${module.dir} ${type}.${name}`, 'opens a database or cache to 0.0.0.0/0');
    }
  }
}

function familiesReachable(modules, dir, seen = new Set()) {
  if (seen.has(dir) || !modules[dir]) return new Set();
  seen.add(dir);
  const module = modules[dir];
  const families = new Set(resourcesOf(module).filter(([t]) => dataStoreRules[t]).map(([t]) => dataStoreRules[t].family));
  for (const [call] of Object.values(module.modules)) {
    if (/^\.\.?\//.test(call.source)) for (const f of familiesReachable(modules, calleeDir(module, call), seen)) families.add(f);
  }
  return families;
}

function checkEnvironment(modules, cloud) {
  const dir = `terraform/environments/${cloud}`;
  const module = modules[dir];
  if (!module) {
    report.fail(dir, 'is missing');
    return;
  }
  const { provider, version } = clouds[cloud];
  const pins = module.terraform.flatMap((t) => t.required_providers ?? []);
  const pin = pins.map((p) => p[provider]).find(Boolean);
  if (!pin || !version.test(pin.version ?? '')) report.fail(dir, `provider ${provider} is not pinned to ${version.source.slice(1)}`);
  if (!module.terraform.some((t) => t.backend)) report.fail(dir, 'keeps its state locally (no backend)');
  const called = Object.values(module.modules).map(([call]) => basename(call.source));
  for (const part of ['network', 'cluster', 'postgres', 'redis', 'secrets', 'registry']) {
    if (!called.includes(part)) report.fail(dir, `does not use a ${part} module`);
  }
  const families = familiesReachable(modules, dir);
  for (const family of ['postgres', 'redis']) if (!families.has(family)) report.fail(dir, `creates no ${family}`);

  const patch = module.outputs.kustomize_infrastructure_patch?.[0];
  const overlayPatch = join(root, 'deploy/k8s/overlays', cloud, 'infrastructure.yaml');
  if (!patch) report.fail(dir, 'has no output "kustomize_infrastructure_patch" for its overlay');
  else if (existsSync(overlayPatch)) {
    const produced = new Set([...JSON.stringify(patch.value).matchAll(/kind\s*=\s*\\"(\w+)\\"/g)].map((m) => m[1]));
    const expected = new Set(parseAllDocuments(readFileSync(overlayPatch, 'utf8')).map((d) => d.toJS()?.kind).filter(Boolean));
    for (const kind of expected) if (!produced.has(kind)) report.fail(dir, `kustomize_infrastructure_patch does not patch ${kind}, which the overlay's infrastructure.yaml does`);
    for (const kind of produced) if (!expected.has(kind)) report.fail(dir, `kustomize_infrastructure_patch patches ${kind}, which the overlay's infrastructure.yaml does not`);
  }
}

async function checkVariablesFiles() {
  const files = walk(`${root}/terraform`, (name) => /\.tfvars(\.json|\.example)?$/.test(name));
  for (const file of files) {
    const where = relative(root, file);
    let values;
    try {
      values = file.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : await parseFile(file.replace(/\.example$/, ''), file);
    } catch (error) {
      report.fail(where, `does not parse: ${error.message}`);
      continue;
    }
    for (const [key, value] of Object.entries(values)) {
      if (secretName.test(key)) report.fail(where, `sets "${key}": secrets are generated by Terraform, never kept in variables files`);
      if (strings(value).some((s) => credentialsInUrl.test(s))) report.fail(where, `"${key}" holds credentials in a URL`);
    }
  }
  return files.length;
}

const modules = await loadModules(root, report.fail);
for (const module of Object.values(modules)) {
  checkReferences(modules, module);
  checkModuleCalls(modules, module);
  checkSecrets(modules, module);
  checkDataStores(module);
}
for (const cloud of Object.keys(clouds)) checkEnvironment(modules, cloud);
const variablesFiles = await checkVariablesFiles();
const files = Object.values(modules).reduce((n, m) => n + m.files.length, 0);
report.finish(`${files} files in ${Object.keys(modules).length} modules, ${variablesFiles} variables files`);
