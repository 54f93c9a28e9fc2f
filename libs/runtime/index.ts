export { runMain, type MainContext, type MainHandle, type RunMainOptions } from './run-main.js';
