export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface RegisterRequest {
  email: string;
  /** At least 8 characters. */
  password: string;
  name: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface AuthResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** ISO 8601 time after which the token is refused. */
  expiresAt: string;
  user: User;
}
