// Node tests run the engine on the WASM backend, as the CLI does.
import { initBackend } from '../../src/engine/backend';

await initBackend({ order: ['wasm'] });
