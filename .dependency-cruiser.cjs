// The rooms of src/ and which way they may point (see ARCHITECTURE.md). Checked by `npm test`
// (npm run check:deps) with dependency-cruiser, type-only imports included.
const LOWER = '^src/(common|events|input|output|run|fast)/';

/** A room that may import only the rooms named. */
const only = (room, allowed) => ({
  name: `${room}-imports-only-${allowed.join('-') || 'itself'}`,
  comment: `src/${room} is a lower room: it may import ${allowed.length ? allowed.map((r) => `src/${r}`).join(', ') : 'nothing else in src'}`,
  severity: 'error',
  from: { path: `^src/${room}/` },
  to: { path: '^src/', pathNot: [`^src/${room}/`, ...allowed.map((r) => `^src/${r}/`)] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles, type-only ones included', from: {}, to: { circular: true } },
    {
      name: 'lower-rooms-point-down',
      severity: 'error',
      comment: 'reading, writing, events, the run loop and the fast paths never import commands, the CLI or the catalogue',
      from: { path: LOWER },
      to: { path: '^src/(commands|cli|catalog|expr|fetch|serve|bin)/' },
    },
    only('common', []),
    only('events', ['common']),
    only('input', ['common', 'events']),
    only('output', ['common']),
    only('run', ['common', 'events', 'input', 'output']),
    only('fast', ['common', 'events', 'input', 'output', 'run']),
    only('expr', ['common', 'events']),
    only('catalog', ['common', 'events']),
    {
      name: 'services-below-the-commands',
      severity: 'error',
      comment: "ct-fetch's and ct-serve's rooms are used by the commands, never the other way",
      from: { path: '^src/(fetch|serve)/' },
      to: { path: '^src/(commands|cli|bin)/' },
    },
    {
      name: 'only-bins-run-the-cli',
      severity: 'error',
      comment: 'commands declare themselves with cli/command.ts; cli/main and the std-streams are for the bin shims',
      from: { path: '^src/', pathNot: '^src/(bin|cli)/' },
      to: { path: '^src/cli/(main|std-streams|plain-args)\\.ts$' },
    },
    { name: 'nothing-imports-a-bin', severity: 'error', from: {}, to: { path: '^src/bin/' } },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'a module nothing imports is dead code (entry points excepted)',
      from: { orphan: true, pathNot: ['^src/bin/', '^src/commands/handler-thread\\.ts$', '^src/output/pipe-writer-thread\\.ts$', '^src/output/report-client\\.js$', '\\.d\\.ts$', '^src/fast/wasm/'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/fast/wasm/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
