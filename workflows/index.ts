/** Every workflow type the worker runs. */
export { accessRequest } from './access/workflow';
export { changeProcess } from './change/workflow';
