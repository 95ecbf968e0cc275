// Runs the pinned Firebase CLI's own deploy-preparation code offline, for tools/deploy/check.py.
//
//   node tools/deploy/cli_probe.cjs '<json request>'   ->  one JSON object on stdout
//
// Request: {root, projectId, env: {...extra .env values...}, package: <dir for the zip>,
//           hostingDir}
// Discovery runs last, so that a failure there still leaves the other results.
// Each step mirrors what `firebase deploy` does in node_modules/firebase-tools/lib/deploy/
// (functions/prepare.js, firestore/prepare.js, hosting/deploy.js) up to the first network call:
//   1. firebase.json against the CLI's JSON schema (firebaseConfigValidate),
//   2. the functions config normalised and validated (functions/projectConfig),
//   3. the user .env files loaded and their keys validated (functions/env),
//   4. the Python build discovered by the CLI's Python runtime delegate (it activates
//      functions/venv and runs the SDK's admin server, then reads /__/functions.yaml),
//   5. params resolved and the backend built (build.resolveBackend; isEmulator so that Secret
//      Manager is not called: a secret's existence is checked live by `nox -s deploy`),
//   6. cpu/concurrency/timeout defaults applied and the endpoints validated (validate.js),
//   7. the functions source packaged exactly as for upload (prepareFunctionsUpload),
//   8. firestore.indexes.json upgraded and validated (FirestoreApi.validateSpec),
//   9. the hosting file list computed with the CLI's own ignore handling (listFiles).
"use strict";

const fs = require("fs");
const path = require("path");

const request = JSON.parse(process.argv[2]);
const root = path.resolve(request.root);
const lib = path.join(root, "node_modules", "firebase-tools", "lib");
const need = (p) => require(path.join(lib, p));

process.env.FIREBASE_CLI_DISABLE_UPDATE_CHECK = "true";

function message(error) {
  return (error && (error.message || String(error))) || "unknown error";
}

const out = { steps: {} };

async function main() {
  const raw = JSON.parse(fs.readFileSync(path.join(root, "firebase.json"), "utf-8"));

  // 1. schema
  const { getValidator, getErrorMessage } = need("firebaseConfigValidate");
  const validate = getValidator();
  const valid = validate(raw);
  out.steps.schema = { ok: !!valid, errors: valid ? [] : validate.errors.map(getErrorMessage) };

  // 2. functions config
  const projectConfig = need("functions/projectConfig");
  const normalized = projectConfig.normalizeAndValidate(raw.functions);
  const codebase = projectConfig.configForCodebase(normalized, "default");
  const local = projectConfig.requireLocal(codebase, "Remote sources are not supported.");
  const sourceDir = path.join(root, local.source);
  out.steps.functionsConfig = { ok: true, runtime: local.runtime, ignore: local.ignore };

  // 3. user env files (.env, .env.<project>) with the CLI's key validation
  const functionsEnv = need("functions/env");
  const userEnvOpt = { functionsSource: sourceDir, projectId: request.projectId, projectDir: root };
  const fileEnvs = functionsEnv.loadUserEnvs(userEnvOpt);
  const userEnvs = { ...fileEnvs, ...(request.env || {}) };
  for (const key of Object.keys(userEnvs)) functionsEnv.validateKey(key);
  const firebaseConfig = {
    projectId: request.projectId,
    storageBucket: `${request.projectId}.firebasestorage.app`,
  };
  const firebaseEnvs = functionsEnv.loadFirebaseEnvs(firebaseConfig, request.projectId);
  out.steps.env = { ok: true, keys: Object.keys(userEnvs).sort() };

  // 7. the upload package
  if (request.package) {
    const { prepareFunctionsUpload } = need("deploy/functions/prepareFunctionsUpload");
    const packaged = await prepareFunctionsUpload(root, sourceDir, local, [], undefined, {
      exportType: "zip",
    });
    // The CLI's temporary file is removed when this process exits: keep a copy.
    const copy = path.join(request.package, "functions-source.zip");
    fs.copyFileSync(packaged.pathToSource, copy);
    out.package = { path: copy, hash: packaged.hash };
  }

  // 8. indexes
  const { FirestoreApi } = need("firestore/api");
  const indexesFile = path.join(root, raw.firestore.indexes);
  const indexes = JSON.parse(fs.readFileSync(indexesFile, "utf-8"));
  const api = new FirestoreApi();
  const spec = api.upgradeOldSpec({ indexes: indexes.indexes, fieldOverrides: indexes.fieldOverrides });
  api.validateSpec(spec);
  out.steps.indexes = {
    ok: true,
    indexes: spec.indexes.length,
    ttl: (spec.fieldOverrides || []).filter((f) => f.ttl).map((f) => f.collectionGroup),
  };

  // 9. hosting files
  if (request.hostingDir !== undefined) {
    const { listFiles } = need("listFiles");
    const publicDir = path.join(root, raw.hosting.public);
    out.hosting = {
      public: raw.hosting.public,
      files: fs.existsSync(publicDir) ? listFiles(publicDir, raw.hosting.ignore || []) : null,
    };
  }
  // 4. discovery through the CLI's Python delegate
  const { Delegate } = need("deploy/functions/runtimes/python");
  const delegate = new Delegate(request.projectId, sourceDir, local.runtime);
  await delegate.validate();
  const build = await delegate.discoverBuild(
    { firebase: firebaseConfig },
    { ...userEnvs, ...firebaseEnvs, GOOGLE_CLOUD_QUOTA_PROJECT: request.projectId },
  );
  build.runtime = local.runtime;
  out.build = build;

  // 5.-6. backend and the CLI's endpoint validation
  const buildLib = need("deploy/functions/build");
  const backendLib = need("deploy/functions/backend");
  const prepare = need("deploy/functions/prepare");
  const validateLib = need("deploy/functions/validate");
  const { backend } = await buildLib.resolveBackend({
    build,
    firebaseConfig,
    userEnvs,
    codebase: "default",
    nonInteractive: true,
    isEmulator: true,
  });
  const endpoints = backendLib.allEndpoints(backend);
  for (const endpoint of endpoints) endpoint.codebase = "default";
  prepare.resolveCpuAndConcurrency(backend);
  prepare.resolveDefaultTimeout(backend);
  validateLib.endpointsAreValid(backend, backendLib.empty());
  validateLib.functionIdsAreValid(endpoints);
  out.endpoints = endpoints;
  out.steps.validate = { ok: true, count: endpoints.length };

  return out;
}

function fail(error) {
  // What completed before the failure is still reported (hosting files, package, indexes).
  process.stdout.write(JSON.stringify({ ...out, ok: false, error: message(error) }) + "\n");
  process.exit(0);
}

// The CLI's discovery timeout rejects a promise nobody awaits: report it like any failure.
process.on("unhandledRejection", fail);

main().then((result) => {
  process.stdout.write(JSON.stringify({ ok: true, ...result }) + "\n");
  process.exit(0);
}, fail);
