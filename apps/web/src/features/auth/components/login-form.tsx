import { useState, type FormEvent } from 'react';
import './login.css';

import type { AuthResponse } from '@orch/contracts';

import { ErrorBox } from '../../../components/error-box';
import { isApiError } from '../../../lib/api-client';
import { useLogin } from '../api/login';

interface LoginFormProps {
  onSuccess?: (response: AuthResponse) => void;
  /** Shown above the form, e.g. "Your session expired." */
  notice?: string | null;
}

export function LoginForm({ onSuccess, notice }: LoginFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const loginMutation = useLogin({ onSuccess });

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    loginMutation.mutate({ email: email.trim(), password });
  };

  const error = loginMutation.error;
  const wrongCredentials = isApiError(error) && error.statusCode === 401;

  return (
    <form className="login-form" onSubmit={handleSubmit} noValidate>
      <h1 className="login-form__title">Sign in</h1>
      {notice && <div className="notice">{notice}</div>}
      <label className="field">
        <span className="field__label">Email</span>
        <input
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          data-testid="login-email"
        />
      </label>
      <label className="field">
        <span className="field__label">Password</span>
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          data-testid="login-password"
        />
      </label>
      {error &&
        (wrongCredentials ? (
          <div className="form-error" role="alert" data-testid="login-error">
            Wrong email or password.
          </div>
        ) : (
          <ErrorBox error={error} title="Sign-in failed" />
        ))}
      <button
        type="submit"
        className="btn btn--primary"
        disabled={loginMutation.isPending || !email || !password}
        data-testid="login-submit"
      >
        {loginMutation.isPending ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="login-form__hint">
        Demo: <code>demo@example.com</code> / <code>demo-password</code>
      </p>
    </form>
  );
}
