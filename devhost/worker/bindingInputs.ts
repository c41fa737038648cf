// Builds an invocation's input data: the trigger value plus the values of the function's extra input
// bindings the devhost can serve (the durable client binding).

import type { RegisteredFunction } from './coreModule';
import type { RpcBindingInfo, RpcParameterBinding, RpcTypedData } from './coreTypes';

/** Supplies the value of a non-trigger input binding, or undefined for bindings the devhost cannot serve. */
export type ExtraInputProvider = (binding: RpcBindingInfo) => RpcTypedData | undefined;

export const isTriggerType = (type: string | null | undefined): boolean => !!type && /trigger$/i.test(type);

export function triggerBinding(fn: RegisteredFunction): { name: string; binding: RpcBindingInfo } {
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (isTriggerType(binding.type)) {
      return { name, binding };
    }
  }
  throw new Error(`Function "${fn.metadata.name}" has no trigger binding`);
}

export const triggerType = (fn: RegisteredFunction): string =>
  (triggerBinding(fn).binding.type ?? '').toLowerCase();

export function buildInputData(
  fn: RegisteredFunction,
  triggerData: RpcTypedData,
  extras: ExtraInputProvider,
): RpcParameterBinding[] {
  const inputData: RpcParameterBinding[] = [];
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (isTriggerType(binding.type)) {
      inputData.push({ name, data: triggerData });
    } else if (binding.direction === 'in' || binding.direction === 'inout') {
      const data = extras(binding);
      if (data !== undefined) {
        inputData.push({ name, data });
      }
    }
  }
  return inputData;
}

/** The value an invocation returned, as the host reads it from RPC typed data. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) {
    return undefined;
  }
  if (data.string !== undefined && data.string !== null) {
    return data.string;
  }
  if (data.json !== undefined && data.json !== null) {
    return JSON.parse(data.json);
  }
  if (data.int !== undefined && data.int !== null) {
    return data.int;
  }
  if (data.double !== undefined && data.double !== null) {
    return data.double;
  }
  if (data.bytes) {
    return Buffer.from(data.bytes).toString('base64');
  }
  return undefined;
}
