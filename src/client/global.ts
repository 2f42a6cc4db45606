/** Entry of the classic `<script>` build: defines the global `deltawarm`. */
import { load } from './load.js';

(globalThis as typeof globalThis & { deltawarm: { load: typeof load } }).deltawarm = { load };
