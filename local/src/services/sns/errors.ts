import { ApiError } from '../../protocol';

export function invalidParameter(message: string): ApiError {
  return new ApiError('InvalidParameter', message);
}

export function notFound(message: string): ApiError {
  return new ApiError('NotFound', message, { status: 404 });
}
