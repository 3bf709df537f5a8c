// The one SWC setup of the workspace: TypeScript with legacy decorators and their metadata (Nest
// needs both), CommonJS output. With `paths`, the tsconfig aliases are rewritten to relative requires.
module.exports = function swcOptions({ baseUrl, paths, sourceMaps = 'inline' } = {}) {
  return {
    swcrc: false,
    sourceMaps,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      ...(paths ? { baseUrl, paths } : {}),
    },
    module: { type: 'commonjs' },
  };
};
