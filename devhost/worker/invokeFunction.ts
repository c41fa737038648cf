// One function invocation, as the Node.js worker's InvocationHandler carries it out: a fresh core
// context, the programming model's invocation model (getArguments / invokeFunction / getResponse),
// and the pre/post invocation hooks around the call.

import { randomUUID } from 'node:crypto';
import type { RegisteredFunction, WorkerRuntime } from './coreModule';
import type {
  CoreInvocationContext,
  InvocationState,
  LogCategory,
  LogLevel,
  RpcInvocationRequest,
  RpcInvocationResponse,
  RpcParameterBinding,
  RpcTypedData,
} from './coreTypes';

export interface InvocationInput {
  inputData: RpcParameterBinding[];
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
}

function readOnly(name: string): () => never {
  return () => {
    throw new Error(`Cannot assign to read only property '${name}'`);
  };
}

export async function invokeFunction(
  runtime: WorkerRuntime,
  registered: RegisteredFunction,
  input: InvocationInput,
): Promise<RpcInvocationResponse> {
  const model = runtime.programmingModel;
  if (!model) {
    throw new Error('No programming model was set by the app (did it load @azure/functions?)');
  }
  const invocationId = input.invocationId ?? randomUUID();
  const name = registered.metadata.name;
  const request: RpcInvocationRequest = {
    invocationId,
    functionId: name,
    inputData: input.inputData,
    triggerMetadata: input.triggerMetadata ?? {},
  };
  const coreCtx: CoreInvocationContext & { state?: InvocationState } = {
    invocationId,
    request,
    metadata: registered.metadata,
    state: undefined,
    log: (level: LogLevel, category: LogCategory, message: string) =>
      runtime.log(level, category, message, category === 'user' ? name : undefined),
  };

  const invocationModel = await model.getInvocationModel(coreCtx);
  const hookData: Record<string, unknown> = {};
  const { context, inputs } = await invocationModel.getArguments();

  const preContext = {
    get hookData() {
      return hookData;
    },
    set hookData(_value: unknown) {
      readOnly('hookData')();
    },
    get appHookData() {
      return runtime.appHookData;
    },
    set appHookData(_value: unknown) {
      readOnly('appHookData')();
    },
    get invocationContext() {
      return context;
    },
    set invocationContext(_value: unknown) {
      readOnly('invocationContext')();
    },
    functionCallback: registered.callback,
    inputs,
  };
  coreCtx.state = 'preInvocationHooks';
  try {
    await runtime.runHooks('preInvocation', preContext);
  } finally {
    coreCtx.state = undefined;
  }

  const postContext = {
    get hookData() {
      return hookData;
    },
    get appHookData() {
      return runtime.appHookData;
    },
    get invocationContext() {
      return context;
    },
    inputs: preContext.inputs,
    result: null as unknown,
    error: null as unknown,
  };
  coreCtx.state = 'invocation';
  try {
    postContext.result = await invocationModel.invokeFunction(
      context,
      preContext.inputs,
      preContext.functionCallback,
    );
  } catch (error) {
    postContext.error = error;
  } finally {
    coreCtx.state = undefined;
  }

  coreCtx.state = 'postInvocationHooks';
  try {
    await runtime.runHooks('postInvocation', postContext);
  } finally {
    coreCtx.state = undefined;
  }

  if (postContext.error) {
    throw asError(postContext.error);
  }
  return invocationModel.getResponse(context, postContext.result);
}

function asError(value: unknown): Error {
  if (value instanceof Error) {
    return value;
  }
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
