import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { exampleApp } from '../vite-local-pool.js';

export default exampleApp({ root: fileURLToPath(new URL('.', import.meta.url)), port: 5173, idpPorts: [9021, 9022], framework: react(), adapter: 'react' });
