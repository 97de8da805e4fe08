import { mount } from 'svelte';
import './app.css';
import './styles/index.css';
import App from './App.svelte';
import { windowLabel } from './api/window';
import AudienceApp from './features/meeting/AudienceApp.svelte';
import { resolveTheme } from './lib/theme';

// Follow the system until the stored setting has been read, so the first paint is not a flash.
document.documentElement.dataset.theme = resolveTheme(null, window.matchMedia('(prefers-color-scheme: dark)').matches);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// The same page serves the meeting's audience window (a second webview the core opens), which
// shows the shared screen instead of the app.
export default windowLabel() === 'audience' ? mount(AudienceApp, { target }) : mount(App, { target });
