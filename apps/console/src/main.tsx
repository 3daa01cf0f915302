import { render } from "preact"; function App() { return <h1>hi</h1>; } const el = document.getElementById("app"); if (el) render(<App />, el);
