import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app.js';
import { MissingAccess } from './components/missing-access.js';
import { createTransport } from './transport/create-transport.js';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
const transport = createTransport();
createRoot(root).render(
  <StrictMode>{transport === undefined ? <MissingAccess /> : <App transport={transport} />}</StrictMode>,
);
