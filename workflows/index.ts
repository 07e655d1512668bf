/** Every workflow type the worker runs. */
export { accessRequest } from './access-request';
export { changeProcess } from './change';
