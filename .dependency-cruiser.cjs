/**
 * The cycle check of `npm run lint`: the top-level folders of src/ form layers, so none may reach
 * back (directly or through others) into a folder that depends on it. Type-only imports count:
 * they tie folders together as much as value imports do. What a single file may import is in
 * eslint.config.js.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment: 'A cycle between folders of src/: move the shared piece down a layer, or hand it in from the caller.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { path: '^src/[^/]+$', circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
