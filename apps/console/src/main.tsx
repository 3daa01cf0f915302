import { render } from 'preact';

import { App } from './app';
import { applyTheme, savedTheme } from './theme';
import './styles.css';

applyTheme(savedTheme());
const root = document.getElementById('app');
if (root !== null) render(<App />, root);
