import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { exampleApp } from '../vite-local-pool.js';

export default exampleApp({ root: fileURLToPath(new URL('.', import.meta.url)), port: 5174, idpPorts: [9031, 9032], framework: vue(), adapter: 'vue' });
