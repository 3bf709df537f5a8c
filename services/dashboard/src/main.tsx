import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.component';
import { startSession, watchSignInLinks } from './auth/session';
import './styles.css';

// Before anything renders: a one-time sign-in link's token leaves the address bar at once.
void startSession();
watchSignInLinks();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
