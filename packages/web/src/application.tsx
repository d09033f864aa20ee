import '@mantine/core/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { resolveurVariables, theme } from './theme.ts';

const root = document.getElementById('root');
if (!root) throw new Error('élément #root absent de index.html');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={resolveurVariables}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
