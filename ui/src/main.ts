import { mount } from 'svelte';
import './app.css';
import './styles/index.css';
import App from './App.svelte';
import { resolveTheme } from './lib/theme';

// Follow the system until the stored setting has been read, so the first paint is not a flash.
document.documentElement.dataset.theme = resolveTheme(null, window.matchMedia('(prefers-color-scheme: dark)').matches);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
