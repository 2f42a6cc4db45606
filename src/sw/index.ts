/** The deltawarm service worker runtime, for use inside an existing worker: `import { serve } from 'deltawarm/sw'`. */
export { type FetchHandler, serve } from './serve.js';
export type { ServeOptions, SwMode, SwReport } from './options.js';
