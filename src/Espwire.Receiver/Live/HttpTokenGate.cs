using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Espwire.Receiver.Live;

/// <summary>With <c>--http-token</c>, every request shows the token: <c>Authorization: Bearer TOKEN</c>, or
/// <c>?token=TOKEN</c> once (answered with an HttpOnly cookie, so the page's own requests carry it), else 401.
/// Tokens are compared in constant time (as SHA-256 digests, so lengths leak nothing) and never logged.</summary>
internal sealed class HttpTokenGate(string token)
{
    public const string CookieName = "espwire_token";
    private readonly byte[] _digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && Matches(authorization["Bearer ".Length..].Trim()))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (request.Query["token"].FirstOrDefault() is { } given && Matches(given))
        {
            context.Response.Cookies.Append(CookieName, given, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                Secure = request.IsHttps,
            });
            // The page itself is sent to its address without the token, so it does not stay in the address bar or history.
            if (request.Path == "/" && HttpMethods.IsGet(request.Method))
            {
                context.Response.Redirect("/");
                return;
            }
            await next(context).ConfigureAwait(false);
            return;
        }
        if (request.Cookies[CookieName] is { } cookie && Matches(cookie))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"espwire\"";
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("401: this receiver needs its token: open /?token=TOKEN once, or send Authorization: Bearer TOKEN.\n").ConfigureAwait(false);
    }

    private bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), _digest);
}
